package io.onyxml.inference;

import ai.onnxruntime.OrtEnvironment;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSessionCache
        extends AbstractInferenceTest
{
    private final AtomicInteger loads = new AtomicInteger();

    @Test
    void loadsAModelOnceWhenManyThreadsAskAtTheSameMoment()
            throws Exception
    {
        ModelManifest manifest = register("scale", 2);
        CountDownLatch release = new CountDownLatch(1);
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config());
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        List<Thread> workers = new ArrayList<>();
        try (SessionCache cache = new SessionCache(1 << 30, m -> {
            loads.incrementAndGet();
            awaitQuietly(release);
            return loader.load(m, store.openModel(m));
        })) {
            List<Future<LoadedModel>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(executor.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    try (LoadedModel.Lease lease = cache.acquire(manifest)) {
                        return lease.model();
                    }
                }));
            }
            // every worker is parked: one in the loader, the others waiting for its result
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!allWaiting(workers, threads) && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            release.countDown();
            LoadedModel first = results.get(0).get();
            for (Future<LoadedModel> result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            assertThat(loads).hasValue(1);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void evictsTheLeastRecentlyUsedModelBeyondTheBudgetAndClosesItWhenUnused()
    {
        ModelManifest a = register("a", 1);
        ModelManifest b = register("b", 2);
        ModelManifest c = register("c", 3);
        long each = InferenceConfig.estimatedSessionBytes(a.sizeBytes());
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config());
        LoadedModel modelA;
        try (SessionCache cache = new SessionCache(2 * each + 10, m -> {
            loads.incrementAndGet();
            return loader.load(m, store.openModel(m));
        })) {
            LoadedModel modelB;
            try (LoadedModel.Lease leaseA = cache.acquire(a); LoadedModel.Lease leaseB = cache.acquire(b)) {
                modelA = leaseA.model();
                modelB = leaseB.model();
            }
            // use a again, so b is now the least recently used
            cache.acquire(a).close();
            LoadedModel.Lease heldB = cache.acquire(b);
            cache.acquire(a).close();
            try (LoadedModel.Lease leaseC = cache.acquire(c)) {
                assertThat(cache.loadedModels()).extracting(model -> model.manifest().name()).containsExactly("a", "c");
                // b was evicted while a lease on it is held: it stays open until that lease is returned
                assertThat(modelB.isClosed()).isFalse();
                heldB.close();
                assertThat(modelB.isClosed()).isTrue();
                assertThat(modelA.isClosed()).isFalse();
                assertThat(leaseC.model().isClosed()).isFalse();
            }
            assertThat(cache.usedBytes()).isEqualTo(2 * each);
            assertThat(loads).hasValue(3);

            // b comes back on demand
            cache.acquire(b).close();
            assertThat(loads).hasValue(4);
        }
        assertThat(modelA.isClosed()).isTrue();
    }

    @Test
    void countsTheUsesOfALoadedModel()
    {
        ModelManifest manifest = register("counted", 1);
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config());
        Instant before = Instant.now();
        try (SessionCache cache = new SessionCache(1 << 30, m -> loader.load(m, store.openModel(m)))) {
            cache.acquire(manifest).close();
            LoadedModel model = cache.loadedModels().get(0);
            assertThat(model.hits()).isEqualTo(1);
            assertThat(model.loadedAt()).isBetween(before, Instant.now());
            Instant firstUse = model.lastUsed();
            cache.acquire(manifest).close();
            cache.acquire(manifest).close();
            assertThat(model.hits()).isEqualTo(3);
            assertThat(model.lastUsed()).isAfterOrEqualTo(firstUse).isAfterOrEqualTo(model.loadedAt()).isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void refusesAModelLargerThanTheBudgetBeforeReadingIt()
    {
        ModelManifest manifest = register("big", 1);
        long needed = InferenceConfig.estimatedSessionBytes(manifest.sizeBytes());
        try (SessionCache cache = new SessionCache(needed - 1, m -> {
            loads.incrementAndGet();
            throw new AssertionError("loaded a model larger than the budget");
        })) {
            assertThatThrownBy(() -> cache.acquire(manifest))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.MODEL_TOO_LARGE))
                    .hasMessage("Model big/1 needs about %.1f MB of memory when loaded (its file has %.1f MB), more than the %.1f MB this node keeps for loaded models (the session cache size); raise it or use a smaller model",
                            needed / 1e6, manifest.sizeBytes() / 1e6, (needed - 1) / 1e6);
            assertThat(loads).hasValue(0);
            assertThat(cache.loadedModels()).isEmpty();
            assertThat(cache.usedBytes()).isZero();
        }
    }

    @Test
    void loadsAtTheSameMomentWaitForRoomInsteadOfOvershootingTogether()
            throws Exception
    {
        List<ModelManifest> manifests = List.of(register("a", 1), register("b", 2), register("c", 3));
        long each = InferenceConfig.estimatedSessionBytes(manifests.get(0).sizeBytes());
        long budget = 2 * each + 10;
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loading = new AtomicInteger();
        AtomicInteger mostLoadingAtOnce = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(manifests.size());
        List<Thread> workers = new ArrayList<>();
        try (SessionCache cache = new SessionCache(budget, m -> {
            mostLoadingAtOnce.accumulateAndGet(loading.incrementAndGet(), Math::max);
            awaitQuietly(release);
            loading.decrementAndGet();
            return loader.load(m, store.openModel(m));
        })) {
            List<Future<?>> results = new ArrayList<>();
            for (ModelManifest manifest : manifests) {
                results.add(executor.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    cache.acquire(manifest).close();
                    return null;
                }));
            }
            // two loads hold the whole budget; the third waits for room without loading
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!(loading.get() == 2 && allWaiting(workers, manifests.size())) && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertThat(loading).hasValue(2);
            assertThat(cache.usedBytes()).isZero();
            release.countDown();
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
            assertThat(mostLoadingAtOnce).hasValue(2);
            // the third load made room by unloading the least recently used of the first two
            assertThat(cache.loadedModels()).hasSize(2);
            assertThat(cache.usedBytes()).isEqualTo(2 * each).isLessThanOrEqualTo(budget);
        }
        finally {
            executor.shutdownNow();
        }
    }

    @Test
    void atMostTheConfiguredNumberOfModelsLoadAtOnceAndEachFileLoadsOnce()
            throws Exception
    {
        List<ModelManifest> manifests = List.of(register("a", 1), register("b", 2), register("c", 3), register("d", 4));
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger loading = new AtomicInteger();
        AtomicInteger mostLoadingAtOnce = new AtomicInteger();
        AtomicInteger loaded = new AtomicInteger();
        // eight threads per model: 32 callers at the same moment
        ExecutorService executor = Executors.newFixedThreadPool(32);
        List<Thread> workers = new ArrayList<>();
        try (SessionCache cache = new SessionCache(1 << 30, 2, m -> {
            mostLoadingAtOnce.accumulateAndGet(loading.incrementAndGet(), Math::max);
            awaitQuietly(release);
            loading.decrementAndGet();
            loaded.incrementAndGet();
            return loader.load(m, store.openModel(m));
        })) {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                ModelManifest manifest = manifests.get(i % manifests.size());
                results.add(executor.submit(() -> {
                    synchronized (workers) {
                        workers.add(Thread.currentThread());
                    }
                    cache.acquire(manifest).close();
                    return null;
                }));
            }
            // two models load; the other two wait for their turn, and the other callers for their model
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!(loading.get() == 2 && allWaiting(workers, 32)) && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait();
            }
            assertThat(loading).hasValue(2);
            release.countDown();
            for (Future<?> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
            assertThat(mostLoadingAtOnce).hasValue(2);
            assertThat(loaded).hasValue(4);
            assertThat(cache.loadedModels()).hasSize(4);
            for (ModelManifest manifest : manifests) {
                assertThat(cache.loads(manifest.sha256())).isEqualTo(1);
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    private ModelManifest register(String name, int seed)
    {
        byte[] model = new OnnxGraphBuilder(name)
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("k", new float[] {seed}, 1)
                .node("Mul").inputs("x", "k").outputs("y").add()
                .build();
        return store.register(name, ModelSource.of(model), RegisterOptions.DEFAULTS);
    }

    private static boolean allWaiting(List<Thread> workers, int expected)
    {
        synchronized (workers) {
            return workers.size() == expected && workers.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
        }
    }

    private static void awaitQuietly(CountDownLatch latch)
    {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        }
    }

    @Test
    void aCompiledModelCountsItsWeightsOnceMore()
    {
        ModelManifest a = register("a", 1);
        ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), config().withEvaluator(EvaluatorPolicy.AUTO));
        LoadedModel model = loader.load(a, store.openModel(a));
        try {
            assertThat(model.evaluators().compiled()).isPresent();
            assertThat(model.estimatedBytes()).isEqualTo(InferenceConfig.estimatedSessionBytes(a.sizeBytes()) + a.sizeBytes());
        }
        finally {
            model.release();
        }
    }
}
