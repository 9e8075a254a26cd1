package io.onyxml.inference;

/**
 * {@link TestModelScoring} with the compiled evaluator serving every model it compiles, in batches too.
 */
final class TestModelScoringCompiled
        extends TestModelScoring
{
    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.COMPILED;
    }
}
