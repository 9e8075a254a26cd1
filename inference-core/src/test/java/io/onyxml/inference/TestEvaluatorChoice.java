package io.onyxml.inference;

import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Optional;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which evaluator serves a model under each policy and device.
 */
final class TestEvaluatorChoice
        extends AbstractInferenceTest
{
    private static final ExecutionDevice GPU = new ExecutionDevice("cuda:0", Optional.empty());

    @Test
    void autoCompilesSingleRowsAndTreesAndLeavesLargeBatchesOfOtherModelsToOnnxRuntime()
    {
        EvaluatorChoice linear = choose(EvaluatorPolicy.AUTO, ExecutionDevice.CPU, TestModels.linearRegression());
        assertThat(linear.compiled()).isPresent();
        assertThat(linear.rows()).isEqualTo(Evaluator.COMPILED);
        assertThat(linear.batches()).isEqualTo(Evaluator.ONNX_RUNTIME);
        // 10 µs per call against 15 ns + 4 × 0.33 ns per row
        assertThat(linear.smallBatchRows()).isEqualTo(613);
        assertThat(linear.forBatch(612)).isEqualTo(Evaluator.COMPILED);
        assertThat(linear.forBatch(613)).isEqualTo(Evaluator.ONNX_RUNTIME);

        EvaluatorChoice mlp = choose(EvaluatorPolicy.AUTO, ExecutionDevice.CPU, TestModels.mlp(4, 64, 1, 1).bytes());
        assertThat(mlp.smallBatchRows()).isEqualTo(7);
        assertThat(mlp.forBatch(1)).isEqualTo(Evaluator.COMPILED);
        assertThat(mlp.forBatch(4096)).isEqualTo(Evaluator.ONNX_RUNTIME);

        EvaluatorChoice forest = choose(EvaluatorPolicy.AUTO, ExecutionDevice.CPU, TestModels.forest(10, 3, new float[] {0, 0}, new float[] {1, 1}, 1).bytes());
        assertThat(forest.rows()).isEqualTo(Evaluator.COMPILED);
        assertThat(forest.forBatch(1_000_000)).isEqualTo(Evaluator.COMPILED);
        assertThat(forest.note()).isEmpty();
    }

    @Test
    void onAGpuBatchesGoToOnnxRuntime()
    {
        EvaluatorChoice forest = choose(EvaluatorPolicy.AUTO, GPU, TestModels.forest(10, 3, new float[] {0, 0}, new float[] {1, 1}, 1).bytes());
        assertThat(forest.rows()).isEqualTo(Evaluator.COMPILED);
        assertThat(forest.forBatch(2)).isEqualTo(Evaluator.ONNX_RUNTIME);
        assertThat(forest.note()).contains("batches run on the GPU");
    }

    @Test
    void thePolicyForcesAnEvaluator()
    {
        EvaluatorChoice compiled = choose(EvaluatorPolicy.COMPILED, ExecutionDevice.CPU, TestModels.mlp(4, 64, 1, 1).bytes());
        assertThat(compiled.forBatch(1_000_000)).isEqualTo(Evaluator.COMPILED);
        EvaluatorChoice runtime = choose(EvaluatorPolicy.ONNX_RUNTIME, ExecutionDevice.CPU, TestModels.linearRegression());
        assertThat(runtime.compiled()).isEmpty();
        assertThat(runtime.rows()).isEqualTo(Evaluator.ONNX_RUNTIME);
        assertThat(runtime.forBatch(1)).isEqualTo(Evaluator.ONNX_RUNTIME);
        assertThat(runtime.note()).contains("evaluator=onnxruntime");
    }

    @Test
    void aGraphTheCompilerDoesNotHandleRunsOnOnnxRuntimeWithTheReason()
    {
        byte[] model = new OnnxGraphBuilder("convolution")
                .input("x", FLOAT, DYNAMIC, 1, 4, 4)
                .output("y", FLOAT, DYNAMIC, 1, 3, 3)
                .floatInitializer("w", new float[4], 1, 1, 2, 2)
                .node("Conv").inputs("x", "w").outputs("y").add()
                .build();
        EvaluatorChoice choice = choose(EvaluatorPolicy.COMPILED, ExecutionDevice.CPU, model);
        assertThat(choice.compiled()).isEmpty();
        assertThat(choice.rows()).isEqualTo(Evaluator.ONNX_RUNTIME);
        assertThat(choice.note()).contains("not compiled: operator Conv of domain ai.onnx is not compiled");
    }

    private EvaluatorChoice choose(EvaluatorPolicy policy, ExecutionDevice device, byte[] model)
    {
        ModelManifest manifest = store.register("m" + Math.abs(System.nanoTime()), ModelSource.of(model), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        return EvaluatorChoice.choose(policy, device, manifest, ByteBuffer.wrap(model));
    }
}
