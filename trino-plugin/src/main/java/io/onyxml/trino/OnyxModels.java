package io.onyxml.trino;

import com.google.common.cache.Cache;
import com.google.common.util.concurrent.UncheckedExecutionException;
import com.google.inject.Inject;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.trino.cache.EvictableCacheBuilder;
import jakarta.annotation.PreDestroy;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import static io.onyxml.trino.TrinoErrors.translated;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;

/**
 * The model store and inference engine of one catalog, with the resolution of model references cached for a short
 * time (an alias moved by another node is seen within that time) and manifests of exact versions cached for ten minutes.
 */
public final class OnyxModels
{
    private final ModelStore store;
    private final InferenceEngine engine;
    private final Cache<String, ModelManifest> references;
    private final Cache<ModelReference, ModelManifest> versions;

    @Inject
    public OnyxModels(OnyxConfig config, OnyxS3Config s3Config)
    {
        ModelStoreConfig storeConfig = new ModelStoreConfig(
                config.getModelStore(),
                s3Config.toS3Options(),
                config.getModelCacheDirectory().map(Path::of),
                config.getModelCacheSize().toBytes());
        this.store = translated(() -> ModelStore.open(storeConfig));
        this.engine = new InferenceEngine(store, new InferenceConfig(config.getDeviceSpec(), config.getSessionCacheSize().toBytes(), config.getIntraOpThreads()));
        this.references = EvictableCacheBuilder.newBuilder()
                .expireAfterWrite(config.getModelReferenceCacheTtl().toMillis(), MILLISECONDS)
                .maximumSize(10_000)
                .shareNothingWhenDisabled()
                .build();
        this.versions = EvictableCacheBuilder.newBuilder()
                .expireAfterWrite(10, MINUTES)
                .maximumSize(10_000)
                .shareNothingWhenDisabled()
                .build();
    }

    public ModelStore store()
    {
        return store;
    }

    public InferenceEngine engine()
    {
        return engine;
    }

    /**
     * What a reference ({@code churn}, {@code churn/3}, {@code churn@production}) names now, or a few seconds ago.
     */
    public ModelManifest resolve(String reference)
    {
        return cached(references, reference, () -> store.resolve(ModelReference.parse(reference)));
    }

    /**
     * The manifest of an exact version, as resolved on the coordinator and sent to the workers.
     */
    public ModelManifest manifest(String name, int version)
    {
        return cached(versions, ModelReference.version(name, version), () -> store.manifest(name, version));
    }

    /**
     * Forgets cached resolutions, after this node changed the catalog.
     */
    public void invalidate()
    {
        references.invalidateAll();
        versions.invalidateAll();
    }

    private static <K> ModelManifest cached(Cache<K, ModelManifest> cache, K key, Supplier<ModelManifest> loader)
    {
        try {
            return cache.get(key, () -> translated(loader));
        }
        catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        catch (UncheckedExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            throw e;
        }
    }

    @PreDestroy
    public void close()
    {
        engine.close();
        store.close();
    }
}
