package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * A model that the compiler does not handle (an operator, attribute or shape outside what it evaluates): the model
 * then runs on ONNX Runtime. Not an error a user sees; the reason is shown where the evaluator is listed.
 */
public final class UnsupportedGraphException
        extends RuntimeException
{
    public UnsupportedGraphException(String reason)
    {
        super(requireNonNull(reason, "reason is null"), null, false, false);
    }
}
