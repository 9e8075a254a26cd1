package io.onyxml.inference;

import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INTERNAL_ERROR;
import static io.onyxml.store.OnyxErrorCode.MODEL_LOAD_FAILED;
import static java.util.Objects.requireNonNull;

/**
 * Loaded models keyed by the sha256 of their file, within a memory budget, least recently used first out. Safe for
 * many threads: a model is loaded once even when many threads ask for it at the same moment (the others wait for the
 * first), and an evicted model is closed only after its last lease is returned.
 */
final class SessionCache
        implements AutoCloseable
{
    private final long budgetBytes;
    private final Function<ModelManifest, LoadedModel> loader;
    // access-ordered: iteration starts at the least recently used entry
    private final LinkedHashMap<String, CompletableFuture<LoadedModel>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long usedBytes;
    private boolean closed;

    SessionCache(long budgetBytes, Function<ModelManifest, LoadedModel> loader)
    {
        this.budgetBytes = budgetBytes;
        this.loader = requireNonNull(loader, "loader is null");
    }

    /**
     * A lease on the loaded model for this manifest's file, loading it if needed.
     */
    LoadedModel.Lease acquire(ModelManifest manifest)
    {
        while (true) {
            CompletableFuture<LoadedModel> future;
            boolean loadHere = false;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the inference engine is closed");
                }
                future = entries.get(manifest.sha256());
                if (future == null) {
                    future = new CompletableFuture<>();
                    entries.put(manifest.sha256(), future);
                    loadHere = true;
                }
            }
            if (loadHere) {
                load(manifest, future);
            }
            LoadedModel model = await(future);
            if (model.tryAcquire()) {
                model.usedBy(manifest);
                return model.new Lease();
            }
            // evicted and closed between lookup and acquire: look again
        }
    }

    private void load(ModelManifest manifest, CompletableFuture<LoadedModel> future)
    {
        LoadedModel model;
        try {
            model = loader.apply(manifest);
        }
        catch (RuntimeException | Error e) {
            synchronized (this) {
                entries.remove(manifest.sha256(), future);
            }
            future.completeExceptionally(e);
            return;
        }
        List<LoadedModel> evicted;
        synchronized (this) {
            if (closed) {
                model.release();
                future.completeExceptionally(new IllegalStateException("the inference engine is closed"));
                return;
            }
            usedBytes += model.estimatedBytes();
            evicted = evictOverBudget(manifest.sha256());
            // completed under the lock, so that the next load's eviction sees this model
            future.complete(model);
        }
        evicted.forEach(LoadedModel::release);
    }

    private List<LoadedModel> evictOverBudget(String keep)
    {
        List<LoadedModel> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, CompletableFuture<LoadedModel>>> iterator = entries.entrySet().iterator();
        while (usedBytes > budgetBytes && iterator.hasNext()) {
            Map.Entry<String, CompletableFuture<LoadedModel>> entry = iterator.next();
            CompletableFuture<LoadedModel> future = entry.getValue();
            if (entry.getKey().equals(keep) || !future.isDone() || future.isCompletedExceptionally()) {
                continue;
            }
            LoadedModel model = future.join();
            iterator.remove();
            usedBytes -= model.estimatedBytes();
            evicted.add(model);
        }
        return evicted;
    }

    private static LoadedModel await(CompletableFuture<LoadedModel> future)
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnyxException(MODEL_LOAD_FAILED, "Interrupted while waiting for a model to load", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtimeException) {
                throw runtimeException;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new OnyxException(INTERNAL_ERROR, "Loading a model failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Drops the model of this file from the cache; it is closed once its last lease is returned.
     */
    void evict(String sha256)
    {
        LoadedModel model;
        synchronized (this) {
            CompletableFuture<LoadedModel> future = entries.get(sha256);
            if (future == null || !future.isDone() || future.isCompletedExceptionally()) {
                return;
            }
            entries.remove(sha256);
            model = future.join();
            usedBytes -= model.estimatedBytes();
        }
        model.release();
    }

    synchronized List<LoadedModel> loadedModels()
    {
        return entries.values().stream()
                .filter(future -> future.isDone() && !future.isCompletedExceptionally())
                .map(CompletableFuture::join)
                .collect(toImmutableList());
    }

    synchronized long usedBytes()
    {
        return usedBytes;
    }

    @Override
    public void close()
    {
        List<LoadedModel> models;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            models = loadedModels();
            entries.clear();
            usedBytes = 0;
        }
        models.forEach(LoadedModel::release);
    }
}
