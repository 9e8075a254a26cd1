package io.onyxml.inference.compiled;

/**
 * One compiled graph node: reads its inputs from a row's frame and writes its outputs into it.
 */
public interface Step
{
    void run(Frame frame);
}
