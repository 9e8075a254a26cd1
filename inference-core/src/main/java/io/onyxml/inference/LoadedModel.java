package io.onyxml.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.inference.compiled.Frame;
import io.onyxml.store.ModelManifest;

import java.lang.System.Logger;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.lang.System.Logger.Level.WARNING;
import static java.util.Objects.requireNonNull;

/**
 * An ONNX Runtime session of one model file, shared by every caller scoring that file. Callers hold it through a
 * {@link Lease}; once the cache evicts it, the native session is closed when the last lease is returned, never while
 * a call is running.
 */
final class LoadedModel
{
    private static final Logger LOG = System.getLogger(LoadedModel.class.getName());

    private final ModelManifest manifest;
    private final OrtSession session;
    private final OrtSession.SessionOptions options;
    private final ExecutionDevice device;
    private final long estimatedBytes;
    private final EvaluatorChoice evaluators;
    private final ThreadLocal<Frame> frames;
    // one reference belongs to the cache until eviction; each lease holds one more
    private final AtomicInteger references = new AtomicInteger(1);
    // the versions that were scored with this file (several versions may share one)
    private final Set<ScoredVersion> versions = ConcurrentHashMap.newKeySet();
    // the manifest of the last call, so that the calls of one predictor (one per row for scalar functions) cost a
    // comparison of references, not a set insertion
    private volatile ModelManifest lastUser;
    private final Instant loadedAt = Instant.now();
    private final AtomicLong hits = new AtomicLong();
    private volatile long lastUsedMillis = loadedAt.toEpochMilli();

    LoadedModel(ModelManifest manifest, OrtSession session, OrtSession.SessionOptions options, ExecutionDevice device, EvaluatorChoice evaluators)
    {
        this.evaluators = requireNonNull(evaluators, "evaluators is null");
        this.frames = evaluators.compiled().map(model -> ThreadLocal.withInitial(model::newFrame)).orElse(null);
        this.manifest = requireNonNull(manifest, "manifest is null");
        this.session = requireNonNull(session, "session is null");
        this.options = requireNonNull(options, "options is null");
        this.device = requireNonNull(device, "device is null");
        // a compiled model holds its weights once more, on the heap
        this.estimatedBytes = InferenceConfig.estimatedSessionBytes(manifest.sizeBytes()) + (evaluators.compiled().isPresent() ? manifest.sizeBytes() : 0);
        usedBy(manifest);
    }

    /**
     * Counts a use through the cache: one per batch, or per query and node for rows scored one at a time.
     */
    void hit()
    {
        hits.incrementAndGet();
        lastUsedMillis = System.currentTimeMillis();
    }

    Instant loadedAt()
    {
        return loadedAt;
    }

    long hits()
    {
        return hits.get();
    }

    Instant lastUsed()
    {
        return Instant.ofEpochMilli(lastUsedMillis);
    }

    void usedBy(ModelManifest user)
    {
        if (user != lastUser) {
            versions.add(new ScoredVersion(user.name(), user.version()));
            lastUser = user;
        }
    }

    /**
     * The versions scored with this file, by name and version.
     */
    List<ScoredVersion> versions()
    {
        return versions.stream()
                .sorted(Comparator.comparing(ScoredVersion::name).thenComparingInt(ScoredVersion::version))
                .collect(toImmutableList());
    }

    ModelManifest manifest()
    {
        return manifest;
    }

    OrtSession session()
    {
        return session;
    }

    ExecutionDevice device()
    {
        return device;
    }

    long estimatedBytes()
    {
        return estimatedBytes;
    }

    EvaluatorChoice evaluators()
    {
        return evaluators;
    }

    /**
     * The calling thread's frame for the compiled model; only when there is one.
     */
    Frame frame()
    {
        return frames.get();
    }

    /**
     * True once the native session is closed: the model was evicted and its last lease returned.
     */
    boolean isClosed()
    {
        return references.get() == 0;
    }

    /**
     * Takes a reference, unless the model was already closed (then the caller loads it again).
     */
    boolean tryAcquire()
    {
        while (true) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void release()
    {
        if (references.decrementAndGet() == 0) {
            closeSession();
        }
    }

    private void closeSession()
    {
        try {
            session.close();
        }
        catch (OrtException e) {
            LOG.log(WARNING, "Closing the ONNX Runtime session of " + manifest.reference() + " failed", e);
        }
        finally {
            options.close();
        }
    }

    record ScoredVersion(String name, int version) {}

    /**
     * A hold on a loaded model for the duration of one or more calls.
     */
    final class Lease
            implements AutoCloseable
    {
        private boolean closed;

        LoadedModel model()
        {
            return LoadedModel.this;
        }

        @Override
        public void close()
        {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }
}
