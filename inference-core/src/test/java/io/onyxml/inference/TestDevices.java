package io.onyxml.inference;

import ai.onnxruntime.OrtEnvironment;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.TestModelScoring.columns;
import static io.onyxml.inference.TestModelScoring.doubleColumns;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Device choice and the fallback to the CPU. The GPU path itself runs only where the GPU build of ONNX Runtime and a
 * GPU are present (the -Pcuda profile on a GPU machine); here the CPU build proves the fallback.
 */
class TestDevices
{
    @TempDir
    Path directory;

    @Test
    void parsesDevices()
    {
        assertThat(DeviceSpec.parse("auto")).isEqualTo(DeviceSpec.AUTO);
        assertThat(DeviceSpec.parse(" CPU ")).isEqualTo(DeviceSpec.CPU);
        assertThat(DeviceSpec.parse("cuda")).isEqualTo(DeviceSpec.cuda(0));
        assertThat(DeviceSpec.parse("cuda:3")).isEqualTo(DeviceSpec.cuda(3));
        assertThat(DeviceSpec.parse("cuda:3")).hasToString("cuda:3");
        assertThatThrownBy(() -> DeviceSpec.parse("tpu"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("Invalid device 'tpu': use auto, cpu, cuda or cuda:N");
        assertThatThrownBy(() -> DeviceSpec.parse("cuda:-1")).hasMessageContaining("use auto, cpu, cuda or cuda:N");
    }

    @Test
    void autoRunsOnTheCpuWithoutTheGpuBuild()
    {
        assumeFalse(InferenceEngine.isCudaAvailable(), "this class path has the GPU build of ONNX Runtime");
        LoadedModelInfo loaded = loadLinear(DeviceSpec.AUTO);
        assertThat(loaded.device()).isEqualTo(ExecutionDevice.CPU);
    }

    @Test
    void cudaFallsBackToTheCpuWithAReason()
    {
        assumeFalse(InferenceEngine.isCudaAvailable(), "this class path has the GPU build of ONNX Runtime");
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory));
                InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.cuda(0)))) {
            ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
            Predictor predictor = engine.predictor(manifest, columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE), BY_POSITION);
            ColumnBatch batch = doubleColumns(new double[][] {{1, 2, 3, 4}}, "a", "b", "c", "d");
            assertThat((double) ((FloatColumn) predictor.predict(batch).column(0)).values()[0]).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-5));

            assertThat(engine.loadedModels()).singleElement().satisfies(model -> {
                assertThat(model.name()).isEqualTo("linear");
                assertThat(model.version()).isEqualTo(1);
                assertThat(model.device().name()).isEqualTo("cpu");
                assertThat(model.device().isGpu()).isFalse();
                assertThat(model.device().fallbackReason()).contains("this ONNX Runtime build has no CUDA support (use the onnxruntime_gpu build)");
            });
        }
    }

    /**
     * Runs with {@code -Pcuda}: {@code auto} stays on the CPU, without a fallback reason, on a machine where no GPU is
     * visible.
     */
    @Test
    void autoWithTheGpuBuildStaysOnTheCpuWhenNoGpuIsVisible()
            throws Exception
    {
        assumeTrue(InferenceEngine.isCudaAvailable(), "the GPU build of ONNX Runtime is not on the class path (build with -Pcuda)");
        Path noDevices = Files.createDirectories(directory.resolve("dev"));
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), InferenceConfig.DEFAULTS.withDevice(DeviceSpec.AUTO), new GpuVisibility(Map.of(), "Linux", noDevices));
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory.resolve("store")))) {
            ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
            LoadedModel model = loader.load(manifest, store.openModel(manifest));
            try {
                assertThat(model.device()).isEqualTo(ExecutionDevice.CPU);
            }
            finally {
                model.release();
            }
        }
    }

    /**
     * Runs with {@code -Pcuda} (the GPU build of ONNX Runtime): on a machine with a GPU the model runs on cuda:0 and
     * gives what the CPU gives; without one it falls back to the CPU and says why.
     */
    @Test
    void theGpuBuildScoresOnTheGpuLikeTheCpu()
    {
        assumeTrue(InferenceEngine.isCudaAvailable(), "the GPU build of ONNX Runtime is not on the class path (build with -Pcuda)");
        TestModels.Mlp mlp = TestModels.mlp(4, 64, 1, 42);
        double[][] rows = TestModelScoring.randomRows(1000, 4, 9);
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory));
                InferenceEngine gpu = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.cuda(0)));
                InferenceEngine cpu = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU))) {
            ModelManifest manifest = store.register("mlp", ModelSource.of(mlp.bytes()), RegisterOptions.DEFAULTS);
            List<InputColumn> layout = columns("a", DOUBLE, "b", DOUBLE, "c", DOUBLE, "d", DOUBLE);
            ColumnBatch batch = doubleColumns(rows, "a", "b", "c", "d");
            float[] onGpu = ((FloatColumn) gpu.predictor(manifest, layout, BY_POSITION).predict(batch).column(0)).values();
            float[] onCpu = ((FloatColumn) cpu.predictor(manifest, layout, BY_POSITION).predict(batch).column(0)).values();
            LoadedModelInfo loaded = gpu.loadedModels().get(0);
            if (loaded.device().isGpu()) {
                assertThat(loaded.device().name()).isEqualTo("cuda:0");
            }
            else {
                assertThat(loaded.device().fallbackReason()).hasValueSatisfying(reason -> assertThat(reason).contains("cuda:0"));
            }
            for (int row = 0; row < rows.length; row++) {
                assertThat((double) onGpu[row]).isCloseTo(onCpu[row], within(1e-4));
                assertThat((double) onCpu[row]).isCloseTo(mlp.reference(rows[row])[0], within(1e-4));
            }
        }
    }

    private LoadedModelInfo loadLinear(DeviceSpec device)
    {
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory));
                InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS.withDevice(device))) {
            ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
            return engine.load(manifest);
        }
    }
}
