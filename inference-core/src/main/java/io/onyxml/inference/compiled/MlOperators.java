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
        compilers.put(Operators.key(DOMAIN, "Scaler"), ScalerCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "Imputer"), ImputerCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "OneHotEncoder"), OneHotEncoderCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "ZipMap"), ZipMapCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "LabelEncoder"), LabelEncoderCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "Normalizer"), NormalizerCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "Binarizer"), BinarizerCompiler::compile);
        compilers.put(Operators.key(DOMAIN, "ArrayFeatureExtractor"), ArrayFeatureExtractorCompiler::compile);
    }
}
