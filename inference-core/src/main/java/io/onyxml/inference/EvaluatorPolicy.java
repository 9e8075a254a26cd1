package io.onyxml.inference;

import java.util.Locale;

/**
 * Which evaluator serves the models: {@code auto} compiles the graphs the JVM evaluates faster than ONNX Runtime
 * (per row always; in batches those with little arithmetic per row, such as linear models and tree ensembles, and
 * only on the CPU) and leaves the rest to ONNX Runtime; {@code compiled} uses the compiled evaluator for every graph
 * it handles, in batches too; {@code onnxruntime} never compiles (for debugging, or to compare).
 */
public enum EvaluatorPolicy
{
    AUTO,
    COMPILED,
    ONNX_RUNTIME;

    public static EvaluatorPolicy parse(String text)
    {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "compiled" -> COMPILED;
            case "onnxruntime" -> ONNX_RUNTIME;
            default -> throw new IllegalArgumentException("evaluator must be auto, compiled or onnxruntime, not: " + text);
        };
    }

    public String displayName()
    {
        return this == ONNX_RUNTIME ? "onnxruntime" : name().toLowerCase(Locale.ROOT);
    }
}
