package io.onyxml.inference;

import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.util.ArrayList;
import java.util.HashMap;
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
import static io.onyxml.store.OnyxErrorCode.MODEL_TOO_LARGE;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Loaded models keyed by the sha256 of their file, within a memory budget, least recently used first out. Safe for
 * many threads: a model is loaded once even when many threads ask for it at the same moment (the others wait for the
 * first), and an evicted model is closed only after its last lease is returned.
 * <p>
 * The budget holds before a load: a load first reserves what the model will count ({@link InferenceConfig#estimatedSessionBytes}
 * of its file), evicting least recently used models to make room, or waiting for loads under way to finish when
 * only their reservations stand in the way, so that loads at the same moment cannot overshoot the budget together.
 * A model that cannot fit in the budget alone is refused before it is read. At most {@code maxConcurrentLoads} models
 * load at once; further loads wait for their turn.
 */
final class SessionCache
        implements AutoCloseable
{
    private final long budgetBytes;
    private final int maxConcurrentLoads;
    private final Function<ModelManifest, LoadedModel> loader;
    // access-ordered: iteration starts at the least recently used entry
    private final LinkedHashMap<String, CompletableFuture<LoadedModel>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long usedBytes;
    // what loads under way will count, reserved before they start
    private long reservedBytes;
    private int loadsUnderWay;
    // how often each file was loaded on this node: once per file unless evicted in between
    private final Map<String, Long> loads = new HashMap<>();
    private boolean closed;

    SessionCache(long budgetBytes, Function<ModelManifest, LoadedModel> loader)
    {
        this(budgetBytes, Integer.MAX_VALUE, loader);
    }

    SessionCache(long budgetBytes, int maxConcurrentLoads, Function<ModelManifest, LoadedModel> loader)
    {
        this.budgetBytes = budgetBytes;
        this.maxConcurrentLoads = maxConcurrentLoads;
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
                    checkFits(manifest, InferenceConfig.estimatedSessionBytes(manifest.sizeBytes()));
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
                model.hit();
                return model.new Lease();
            }
            // evicted and closed between lookup and acquire: look again
        }
    }

    private void load(ModelManifest manifest, CompletableFuture<LoadedModel> future)
    {
        long reservation = InferenceConfig.estimatedSessionBytes(manifest.sizeBytes());
        LoadedModel model;
        try {
            awaitTurn();
            try {
                reserve(manifest, reservation);
                try {
                    model = loader.apply(manifest);
                }
                finally {
                    synchronized (this) {
                        reservedBytes -= reservation;
                        notifyAll();
                    }
                }
            }
            finally {
                synchronized (this) {
                    loadsUnderWay--;
                    notifyAll();
                }
            }
        }
        catch (RuntimeException | Error e) {
            fail(manifest, future, e);
            return;
        }
        List<LoadedModel> evicted;
        synchronized (this) {
            if (closed || model.estimatedBytes() > budgetBytes) {
                // a compiled model counts its weights once more than reserved, and may then not fit at all
                model.release();
                fail(manifest, future, closed ? new IllegalStateException("the inference engine is closed") : tooLarge(manifest, model.estimatedBytes()));
                return;
            }
            usedBytes += model.estimatedBytes();
            loads.merge(manifest.sha256(), 1L, Long::sum);
            evicted = evictOverBudget(budgetBytes, manifest.sha256());
            // completed under the lock, so that the next load's eviction sees this model
            future.complete(model);
        }
        evicted.forEach(LoadedModel::release);
    }

    private void fail(ModelManifest manifest, CompletableFuture<LoadedModel> future, Throwable failure)
    {
        synchronized (this) {
            entries.remove(manifest.sha256(), future);
        }
        future.completeExceptionally(failure);
    }

    /**
     * Waits until fewer than {@code maxConcurrentLoads} loads run, then counts this one.
     */
    private synchronized void awaitTurn()
    {
        while (loadsUnderWay >= maxConcurrentLoads) {
            awaitChange("other models to finish loading");
        }
        loadsUnderWay++;
    }

    /**
     * Waits, holding this cache's lock, until a load ends, a model is unloaded or the cache closes.
     */
    private void awaitChange(String what)
    {
        if (closed) {
            throw new IllegalStateException("the inference engine is closed");
        }
        try {
            wait();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnyxException(MODEL_LOAD_FAILED, "Interrupted while waiting for " + what, e);
        }
    }

    /**
     * How often this node loaded the file with this checksum.
     */
    synchronized long loads(String sha256)
    {
        return loads.getOrDefault(sha256, 0L);
    }

    /**
     * Makes room for a model about to load (its size was checked against the budget when its entry was made): evicts
     * least recently used models, and waits for loads under way when their reservations alone leave too little.
     */
    private void reserve(ModelManifest manifest, long bytes)
    {
        List<LoadedModel> evicted = new ArrayList<>();
        try {
            synchronized (this) {
                while (true) {
                    evicted.addAll(evictOverBudget(budgetBytes - reservedBytes - bytes, manifest.sha256()));
                    if (usedBytes + reservedBytes + bytes <= budgetBytes) {
                        reservedBytes += bytes;
                        return;
                    }
                    awaitChange("room to load a model");
                }
            }
        }
        finally {
            // evicted models close once their last lease is returned, whether this load goes on or not
            evicted.forEach(LoadedModel::release);
        }
    }

    private void checkFits(ModelManifest manifest, long bytes)
    {
        if (bytes > budgetBytes) {
            throw tooLarge(manifest, bytes);
        }
    }

    private OnyxException tooLarge(ModelManifest manifest, long bytes)
    {
        return new OnyxException(MODEL_TOO_LARGE, format(
                "Model %s needs about %s of memory when loaded (its file has %s), more than the %s this node keeps for loaded models (the session cache size); raise it or use a smaller model",
                manifest.reference(),
                megabytes(bytes),
                megabytes(manifest.sizeBytes()),
                megabytes(budgetBytes)));
    }

    private static String megabytes(long bytes)
    {
        return format("%.1f MB", bytes / 1e6);
    }

    /**
     * Evicts least recently used models until the loaded ones count at most {@code limit}, never {@code keep}.
     */
    private List<LoadedModel> evictOverBudget(long limit, String keep)
    {
        List<LoadedModel> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, CompletableFuture<LoadedModel>>> iterator = entries.entrySet().iterator();
        while (usedBytes > limit && iterator.hasNext()) {
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
            notifyAll();
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
            notifyAll();
        }
        models.forEach(LoadedModel::release);
    }
}
