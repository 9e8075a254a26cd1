package io.onyxml.trino;

import com.google.common.cache.Cache;
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
        return Caches.get(references, reference, () -> translated(() -> store.resolve(ModelReference.parse(reference))));
    }

    /**
     * The manifest of an exact version, as resolved on the coordinator and sent to the workers.
     */
    public ModelManifest manifest(String name, int version)
    {
        return Caches.get(versions, ModelReference.version(name, version), () -> translated(() -> store.manifest(name, version)));
    }

    /**
     * Forgets cached resolutions, after this node changed the catalog.
     */
    public void invalidate()
    {
        references.invalidateAll();
        versions.invalidateAll();
    }

    @PreDestroy
    public void close()
    {
        engine.close();
        store.close();
    }
}
