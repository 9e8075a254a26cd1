package io.onyxml.inference;

/**
 * {@link TestBindingErrors} with the compiled evaluator serving every model it compiles, in batches too.
 */
final class TestBindingErrorsCompiled
        extends TestBindingErrors
{
    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.COMPILED;
    }
}
