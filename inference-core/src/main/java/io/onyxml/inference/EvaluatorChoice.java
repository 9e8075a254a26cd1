package io.onyxml.inference;

import io.onyxml.inference.compiled.CompiledModel;
import io.onyxml.inference.compiled.UnsupportedGraphException;
import io.onyxml.store.ModelManifest;

import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.util.Optional;

import static java.lang.String.format;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * Which evaluator serves a loaded model per row (scalar functions) and in batches (the table function, Spark's
 * batches), and why a model is not compiled when it is not.
 *
 * @param compiled the compiled graph, when the compiler handles it and the policy allows it
 * @param note why the model is not compiled, or not used in batches
 */
public record EvaluatorChoice(Optional<CompiledModel> compiled, Evaluator rows, Evaluator batches, Optional<String> note)
{
    /**
     * Batches of models with more multiply-adds per row than this run on ONNX Runtime under {@code auto}: its
     * blocked matrix kernels beat a row-at-a-time product there (measured with the benchmarks of trino-plugin: a
     * 4-weight linear model and tree ensembles are faster compiled, an MLP 4-64-64-1 of 4,352 is faster on ONNX
     * Runtime in batches).
     */
    static final long MAX_BATCH_MULTIPLY_ADDS = 512;

    private static final Logger LOG = System.getLogger(EvaluatorChoice.class.getName());

    public EvaluatorChoice
    {
        requireNonNull(compiled, "compiled is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(batches, "batches is null");
        requireNonNull(note, "note is null");
    }

    static EvaluatorChoice onnxRuntime(String note)
    {
        return new EvaluatorChoice(Optional.empty(), Evaluator.ONNX_RUNTIME, Evaluator.ONNX_RUNTIME, Optional.of(note));
    }

    static EvaluatorChoice choose(EvaluatorPolicy policy, ExecutionDevice device, ModelManifest manifest, ByteBuffer modelBytes)
    {
        if (policy == EvaluatorPolicy.ONNX_RUNTIME) {
            return onnxRuntime("evaluator=onnxruntime");
        }
        CompiledModel model;
        try {
            model = CompiledModel.compile(modelBytes);
        }
        catch (UnsupportedGraphException e) {
            return onnxRuntime("not compiled: " + e.getMessage());
        }
        catch (RuntimeException | StackOverflowError e) {
            // a defect of the compiler must not keep a model from being served: ONNX Runtime serves it
            LOG.log(WARNING, format("Compiling model %s failed; it runs on ONNX Runtime", manifest.reference()), e);
            return onnxRuntime("not compiled: the compiler failed (" + e + ")");
        }
        if (policy == EvaluatorPolicy.COMPILED) {
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.COMPILED, Optional.empty());
        }
        if (device.isGpu()) {
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.ONNX_RUNTIME, Optional.of("batches run on the GPU"));
        }
        if (model.multiplyAdds() > MAX_BATCH_MULTIPLY_ADDS) {
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.ONNX_RUNTIME, Optional.of(format(
                    "batches run on ONNX Runtime: %s multiply-adds per row, more than the %s up to which the compiled evaluator is faster",
                    model.multiplyAdds(),
                    MAX_BATCH_MULTIPLY_ADDS)));
        }
        return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.COMPILED, Optional.empty());
    }
}
