package io.onyxml.inference;

/**
 * {@link TestNullHandling} with the compiled evaluator serving every model it compiles, in batches too.
 */
final class TestNullHandlingCompiled
        extends TestNullHandling
{
    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.COMPILED;
    }
}
