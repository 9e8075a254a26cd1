package io.onyxml.spark;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelStore;
import io.onyxml.store.PinnedModel;

import java.util.List;
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

    /**
     * The plan for the version the driver pinned (checked by checksum), binding the fed columns as the driver did.
     */
    PredictionPlan plan(PinnedModel model, List<String> names, List<ColumnType> types, BindingMode mode)
    {
        ModelManifest manifest = model.verify(store.manifest(model.name(), model.version()));
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new InputColumn(names.get(i), types.get(i)));
        }
        return PredictionPlan.create(manifest, columns.build(), mode);
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
