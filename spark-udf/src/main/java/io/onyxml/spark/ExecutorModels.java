package io.onyxml.spark;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.collect.ImmutableList;
import com.google.common.util.concurrent.UncheckedExecutionException;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.DeviceSpec;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.LoadedModelInfo;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.ResultKind;
import io.onyxml.inference.ScalarCall;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.ModelConverter;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.PinnedModel;
import io.onyxml.store.RegisterOptions;
import io.onyxml.training.TrainingSlots;
import io.onyxml.training.trees.XGBoostModelConverter;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The model store and inference engines of one JVM (the driver, or an executor) per Onyx configuration: task threads
 * share them, so a model version is loaded once per executor and device, and its session serves every task. They live as long
 * as the JVM, as Spark executors do. Manifests of pinned versions, which never change, are read once.
 */
public final class ExecutorModels
{
    private static final Map<OnyxSparkConfig, ExecutorModels> MODELS = new ConcurrentHashMap<>();
    private static final ModelConverter CONVERTER = new XGBoostModelConverter();

    private final OnyxSparkConfig config;
    private final ModelStore store;
    private final Map<DeviceSpec, InferenceEngine> engines = new ConcurrentHashMap<>();
    private final Cache<PinnedModel, ModelManifest> pinned = CacheBuilder.newBuilder().maximumSize(1_000).build();
    private final Map<TrainingSlotSettings, TrainingSlots> trainingSlots = new ConcurrentHashMap<>();

    private ExecutorModels(OnyxSparkConfig config)
    {
        this.config = config;
        this.store = ModelStore.open(config.storeConfig());
    }

    public static ExecutorModels get(OnyxSparkConfig config)
    {
        return MODELS.computeIfAbsent(config, ExecutorModels::new);
    }

    /**
     * The manifest of the version the driver pinned, checked by checksum.
     */
    public ModelManifest manifest(PinnedModel model)
    {
        try {
            return pinned.get(model, () -> model.verify(store.manifest(model.name(), model.version())));
        }
        catch (ExecutionException | UncheckedExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The plan for the version the driver pinned, binding the fed columns as the driver did.
     */
    PredictionPlan plan(PinnedModel model, List<String> names, List<ColumnType> types, BindingMode mode)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int i = 0; i < names.size(); i++) {
            columns.add(new InputColumn(names.get(i), types.get(i)));
        }
        return PredictionPlan.create(manifest(model), columns.build(), mode);
    }

    /**
     * A scalar call of the version the driver pinned, with the layout the driver checked.
     */
    public ScalarCall scalarCall(PinnedModel model, List<InputColumn> layout, BindingMode mode, ResultKind kind)
    {
        return ScalarCall.prepare(engine(), manifest(model), layout, mode, kind);
    }

    /**
     * Registers a version after the inference engine's checks (what it cannot serve is refused); XGBoost files become
     * ONNX, as in Trino's {@code register_model}.
     */
    public ModelManifest register(String name, ModelSource source, RegisterOptions options)
    {
        return store.register(name, source, options, engine().validator(), CONVERTER);
    }

    /**
     * After versions were deleted from this JVM: unloads their sessions here. Executors unload theirs when their
     * session cache needs the room.
     */
    public void deleted(Collection<ModelManifest> versions)
    {
        pinned.invalidateAll();
        engines.values().forEach(engine -> versions.forEach(version -> engine.unload(version.sha256())));
    }

    /**
     * The models loaded in this JVM, on every device.
     */
    public List<LoadedModelInfo> loadedModels()
    {
        return engines.values().stream().flatMap(engine -> engine.loadedModels().stream()).toList();
    }

    public ModelStore store()
    {
        return store;
    }

    /**
     * The training slots of this JVM (the driver, where Spark trainings are driven) for these limits.
     */
    TrainingSlots trainingSlots(TrainingSlotSettings settings)
    {
        return trainingSlots.computeIfAbsent(settings, ignored -> settings.slots(store));
    }

    /**
     * The engine for the device of the task running now (see {@link TaskDevices}): on an executor the GPU Spark
     * assigned to the task, on the driver the configured device or the CPU. One engine per device, each with the
     * configured session budget.
     */
    public InferenceEngine engine()
    {
        DeviceSpec device = TaskDevices.forCurrentTask(config.inferenceConfig().device());
        return engines.computeIfAbsent(device, ignored -> new InferenceEngine(store, config.inferenceConfig().withDevice(device)));
    }
}
