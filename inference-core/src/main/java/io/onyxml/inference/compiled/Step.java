package io.onyxml.inference.compiled;

/**
 * One compiled graph node: reads its inputs from a row's frame and writes its outputs into it.
 */
public interface Step
{
    void run(Frame frame);

    /**
     * The multiplications and additions of one row in matrix products, which decide whether the compiled evaluator
     * beats ONNX Runtime's blocked kernels in batches.
     */
    default long multiplyAdds()
    {
        return 0;
    }
}
