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
 * <p>
 * Under {@code auto} a compiled model serves single rows always (one ONNX Runtime call costs 8-20 µs). In batches it
 * serves the tree ensembles, which ONNX Runtime walks more slowly even in batches (2.3 to 2.7 times slower, measured
 * by trino-plugin's and inference-core's benchmarks), and batches too small to amortise a call: below
 * {@link #smallBatchRows} rows, from the measured costs per row of the interpreter (about 15 ns plus 0.33 ns per
 * multiply-add of its matrix products) and of a call (about 10 µs). Larger batches of other models go to ONNX Runtime,
 * whose blocked kernels score a row of a linear model in about 3.5 ns and of an MLP 4-64-64-1 in about 100 ns
 * (inference-core's {@code CompiledEvaluationBenchmark}). On a GPU batches go to ONNX Runtime.
 *
 * @param compiled the compiled graph, when the compiler handles it and the policy allows it
 * @param rows the evaluator of single rows
 * @param batches the evaluator of batches of at least {@code smallBatchRows} rows
 * @param smallBatchRows batches of fewer rows are scored by the compiled model, where there is one
 * @param note why the model is not compiled, or not used in batches
 */
public record EvaluatorChoice(Optional<CompiledModel> compiled, Evaluator rows, Evaluator batches, int smallBatchRows, Optional<String> note)
{
    static final double CALL_NANOS = 10_000;
    static final double ROW_NANOS = 15;
    static final double MULTIPLY_ADD_NANOS = 0.33;

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
        return new EvaluatorChoice(Optional.empty(), Evaluator.ONNX_RUNTIME, Evaluator.ONNX_RUNTIME, 0, Optional.of(note));
    }

    /**
     * The evaluator of a batch of this many rows.
     */
    Evaluator forBatch(int rowCount)
    {
        return compiled.isPresent() && rowCount < smallBatchRows ? Evaluator.COMPILED : batches;
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
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.COMPILED, Integer.MAX_VALUE, Optional.empty());
        }
        if (device.isGpu()) {
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.ONNX_RUNTIME, 0, Optional.of("batches run on the GPU"));
        }
        if (model.hasTreeEnsemble()) {
            return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.COMPILED, Integer.MAX_VALUE, Optional.empty());
        }
        int smallBatchRows = smallBatchRows(model.multiplyAdds());
        return new EvaluatorChoice(Optional.of(model), Evaluator.COMPILED, Evaluator.ONNX_RUNTIME, smallBatchRows, Optional.of(format(
                "batches of %s rows or more run on ONNX Runtime, whose batched kernels are faster than the compiled model's %s multiply-adds per row",
                smallBatchRows,
                model.multiplyAdds())));
    }

    /**
     * The batch size from which a call of ONNX Runtime costs less than evaluating the rows one by one.
     */
    static int smallBatchRows(long multiplyAdds)
    {
        return (int) Math.max(1, Math.ceil(CALL_NANOS / (ROW_NANOS + MULTIPLY_ADD_NANOS * multiplyAdds)));
    }
}
