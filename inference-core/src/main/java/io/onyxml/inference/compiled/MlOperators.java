package io.onyxml.inference.compiled;

import java.util.Map;

/**
 * The operators of the {@code ai.onnx.ml} domain other than the tree ensembles, each as ONNX Runtime's CPU kernel
 * computes it.
 */
final class MlOperators
{
    private static final String DOMAIN = "ai.onnx.ml";

    private MlOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
        compilers.put(Operators.key(DOMAIN, "LinearRegressor"), LinearRegressorCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "LinearClassifier"), LinearClassifierCompiler::compile);
    }
}
