package io.onyxml.spark;

import io.onyxml.inference.InferenceEngine;
import io.onyxml.store.ModelStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model store and inference engine of one JVM (the driver, or an executor) per Onyx configuration: task threads
 * share them, so a model version is loaded once per executor and its session serves every task. They live as long
 * as the JVM, as Spark executors do.
 */
final class ExecutorModels
{
    private static final Map<OnyxSparkConfig, ExecutorModels> MODELS = new ConcurrentHashMap<>();

    private final ModelStore store;
    private final InferenceEngine engine;

    private ExecutorModels(OnyxSparkConfig config)
    {
        this.store = ModelStore.open(config.storeConfig());
        this.engine = new InferenceEngine(store, config.inferenceConfig());
    }

    static ExecutorModels get(OnyxSparkConfig config)
    {
        return MODELS.computeIfAbsent(config, ExecutorModels::new);
    }

    ModelStore store()
    {
        return store;
    }

    InferenceEngine engine()
    {
        return engine;
    }
}
