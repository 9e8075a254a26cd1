package io.onyxml.inference;

import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * A fresh local model store and a CPU inference engine per test.
 */
abstract class AbstractInferenceTest
{
    @TempDir
    protected Path directory;

    protected ModelStore store;
    protected InferenceEngine engine;

    protected InferenceConfig config()
    {
        return InferenceConfig.DEFAULTS.withDevice(DeviceSpec.CPU).withEvaluator(evaluator());
    }

    /**
     * ONNX Runtime alone, so that the tests check the runtime path; the {@code *Compiled} subclasses run the same tests
     * with the compiled evaluator wherever it compiles the model.
     */
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.ONNX_RUNTIME;
    }

    @BeforeEach
    void openEngine()
    {
        store = ModelStore.open(ModelStoreConfig.local(directory.resolve("store")));
        engine = new InferenceEngine(store, config());
    }

    @AfterEach
    void closeEngine()
    {
        engine.close();
        store.close();
    }
}
