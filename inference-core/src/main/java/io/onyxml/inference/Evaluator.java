package io.onyxml.inference;

/**
 * What evaluates a loaded model: the JVM ({@link io.onyxml.inference.compiled.CompiledModel}) or ONNX Runtime.
 */
public enum Evaluator
{
    COMPILED("compiled"),
    ONNX_RUNTIME("onnxruntime");

    private final String displayName;

    Evaluator(String displayName)
    {
        this.displayName = displayName;
    }

    public String displayName()
    {
        return displayName;
    }
}
