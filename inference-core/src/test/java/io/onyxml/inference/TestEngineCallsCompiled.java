package io.onyxml.inference;

/**
 * {@link TestEngineCalls} with the compiled evaluator serving every model it compiles, in batches too.
 */
final class TestEngineCallsCompiled
        extends TestEngineCalls
{
    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.COMPILED;
    }
}
