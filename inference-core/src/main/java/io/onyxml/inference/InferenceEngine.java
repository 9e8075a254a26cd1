package io.onyxml.inference;

import ai.onnxruntime.OrtEnvironment;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelValidator;
import io.onyxml.store.OnyxException;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.MODEL_LOAD_FAILED;
import static java.util.Objects.requireNonNull;

/**
 * The entry point of the inference core: resolves models in a store, keeps their ONNX Runtime sessions loaded within
 * a memory budget, and hands out {@link Predictor}s that score batches of columns.
 * <pre>{@code
 * try (InferenceEngine engine = new InferenceEngine(store, InferenceConfig.DEFAULTS)) {
 *     Predictor predictor = engine.predictor("churn@production", columns, BindingMode.BY_NAME);
 *     ColumnBatch scores = predictor.predict(batch);
 * }
 * }</pre>
 */
public final class InferenceEngine
        implements AutoCloseable
{
    private final ModelStore store;
    private final InferenceConfig config;
    private final OrtEnvironment environment;
    private final SessionCache sessions;
    private final ModelValidator validator;

    public InferenceEngine(ModelStore store, InferenceConfig config)
    {
        this.store = requireNonNull(store, "store is null");
        this.config = requireNonNull(config, "config is null");
        this.environment = environment();
        ModelLoader loader = new ModelLoader(environment, config);
        this.sessions = new SessionCache(config.sessionCacheBytes(), config.maxConcurrentLoads(), manifest -> loader.load(manifest, store.openModel(manifest)));
        this.validator = new RuntimeModelValidator(loader);
    }

    /**
     * The check a model must pass to be registered for this engine, see
     * {@link ModelStore#register(String, io.onyxml.store.ModelSource, io.onyxml.store.RegisterOptions, ModelValidator)}:
     * the operators, inputs, outputs and task it can serve, and one trial load by ONNX Runtime.
     */
    public ModelValidator validator()
    {
        return validator;
    }

    /**
     * Unloads the model file with this sha256 now, e.g. after its version was deleted; calls still running finish
     * with it. Nothing happens when it is not loaded.
     */
    public void unload(String sha256)
    {
        sessions.evict(sha256);
    }

    private static OrtEnvironment environment()
    {
        try {
            return OrtEnvironment.getEnvironment();
        }
        catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new OnyxException(MODEL_LOAD_FAILED, "ONNX Runtime cannot start on this machine: " + e.getMessage(), e);
        }
    }

    public ModelStore store()
    {
        return store;
    }

    public InferenceConfig config()
    {
        return config;
    }

    /**
     * Plans and returns a predictor for a model reference ({@code name}, {@code name/3}, {@code name@alias}).
     */
    public Predictor predictor(String reference, List<InputColumn> columns, BindingMode mode)
    {
        return predictor(store.resolve(ModelReference.parse(reference)), columns, mode);
    }

    public Predictor predictor(ModelManifest manifest, List<InputColumn> columns, BindingMode mode)
    {
        return predictor(PredictionPlan.create(manifest, columns, mode));
    }

    /**
     * A predictor for a plan made earlier, e.g. on a coordinator that checked the query.
     */
    public Predictor predictor(PredictionPlan plan)
    {
        return new Predictor(plan, sessions, environment, config.maxCallTime());
    }

    /**
     * Loads a model now (otherwise the first prediction does) and tells where it runs.
     */
    public LoadedModelInfo load(ModelManifest manifest)
    {
        try (LoadedModel.Lease lease = sessions.acquire(manifest)) {
            LoadedModel model = lease.model();
            return new LoadedModelInfo(manifest.name(), manifest.version(), manifest.sha256(), model.device(), model.estimatedBytes(), model.evaluators(), model.loadedAt(), sessions.loads(manifest.sha256()), model.hits(), model.lastUsed());
        }
    }

    /**
     * The model versions loaded now, with the device each runs on; versions that share a file share its session and
     * are listed each.
     */
    public List<LoadedModelInfo> loadedModels()
    {
        return sessions.loadedModels().stream()
                .flatMap(model -> model.versions().stream().map(version -> new LoadedModelInfo(
                        version.name(), version.version(), model.manifest().sha256(), model.device(), model.estimatedBytes(), model.evaluators(), model.loadedAt(), sessions.loads(model.manifest().sha256()), model.hits(), model.lastUsed())))
                .collect(toImmutableList());
    }

    /**
     * Whether this ONNX Runtime build offers CUDA (the GPU build on the class path); a GPU may still be missing.
     */
    public static boolean isCudaAvailable()
    {
        return ModelLoader.isCudaAvailable();
    }

    @Override
    public void close()
    {
        sessions.close();
    }
}
