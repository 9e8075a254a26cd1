package io.onyxml.training;

import com.google.common.base.Ticker;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.OnyxException;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.onyxml.store.OnyxErrorCode.CONCURRENCY_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTrainingSlots
{
    private static final TrainingSlots.Settings SETTINGS = new TrainingSlots.Settings("per-node", "per-cluster", "max-wait");
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path temporary;
    private ModelStore store;

    @BeforeEach
    void openStore()
    {
        store = ModelStore.open(ModelStoreConfig.local(temporary.resolve("store")));
    }

    @AfterEach
    void closeStore()
    {
        store.close();
    }

    @Test
    void aNodeRunsAtMostItsNumberOfTrainings()
    {
        try (TrainingSlots slots = new TrainingSlots(2, OptionalInt.empty(), store, Duration.ofSeconds(1), SETTINGS)) {
            TrainingSlot first = slots.tryAcquire("a", "query 1").orElseThrow();
            TrainingSlot second = slots.tryAcquire("b", "query 2").orElseThrow();
            assertThat(slots.tryAcquire("c", "query 3")).isEmpty();
            assertThat(slots.heldOnThisNode()).isEqualTo(2);
            first.close();
            first.close();
            assertThat(slots.heldOnThisNode()).isEqualTo(1);
            assertThat(slots.tryAcquire("c", "query 3")).isPresent();
            second.close();
        }
    }

    @Test
    void theClusterLimitCountsEveryNodeThatUsesTheStore()
    {
        ModelStore otherNodesStore = ModelStore.open(ModelStoreConfig.local(temporary.resolve("store")));
        try (TrainingSlots node1 = new TrainingSlots(2, OptionalInt.of(3), store, Duration.ofSeconds(1), SETTINGS);
                TrainingSlots node2 = new TrainingSlots(2, OptionalInt.of(3), otherNodesStore, Duration.ofSeconds(1), SETTINGS)) {
            TrainingSlot first = node1.tryAcquire("a", "query 1").orElseThrow();
            node1.tryAcquire("b", "query 2").orElseThrow();
            node2.tryAcquire("c", "query 3").orElseThrow();
            // node 2 has a slot of its own left, the cluster has none
            assertThat(node2.tryAcquire("d", "query 4")).isEmpty();
            assertThat(node2.heldOnThisNode()).isEqualTo(1);
            first.close();
            assertThat(node2.tryAcquire("d", "query 4")).isPresent();
        }
        finally {
            otherNodesStore.close();
        }
    }

    @Test
    void aTrainingWaitsForASlotAndFailsAfterTheLongestWait()
            throws Exception
    {
        try (TrainingSlots slots = new TrainingSlots(1, OptionalInt.of(1), store, Duration.ofMillis(300), SETTINGS)) {
            TrainingSlot held = slots.tryAcquire("a", "query 1").orElseThrow();
            assertThatThrownBy(() -> slots.acquire("b", "query 2"))
                    .isInstanceOf(OnyxException.class)
                    .hasMessage("Training model 'b' waited 1s for a training slot: at most 1 trainings run at once on each node (per-node) and at most 1 in the cluster (per-cluster); try again later, or raise the limits or max-wait")
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(CONCURRENCY_LIMIT_EXCEEDED);

            CompletableFuture<TrainingSlot> waiting;
            try (TrainingSlots patient = new TrainingSlots(1, OptionalInt.of(1), store, Duration.ofSeconds(30), SETTINGS)) {
                waiting = CompletableFuture.supplyAsync(() -> patient.acquire("b", "query 2"));
                assertThat(waiting).isNotDone();
                held.close();
                TrainingSlot slot = waiting.get(30, TimeUnit.SECONDS);
                slot.checkHeld();
                slot.close();
            }
        }
    }

    @Test
    void aSlotItsTrainingStoppedTouchingIsTakenBack()
    {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = new Ticker()
        {
            @Override
            public long read()
            {
                return nanos.get();
            }
        };
        try (TrainingSlots slots = new TrainingSlots(1, OptionalInt.of(1), store, Duration.ofSeconds(1), Duration.ofMinutes(10), SETTINGS, ticker, NEVER)) {
            TrainingSlot slot = slots.tryAcquire("a", "query 1").orElseThrow();
            nanos.addAndGet(Duration.ofMinutes(9).toNanos());
            slot.touch();
            nanos.addAndGet(Duration.ofMinutes(9).toNanos());
            slots.tend();
            slot.checkHeld();
            assertThat(slots.tryAcquire("b", "query 2")).isEmpty();

            // a cancelled query drops its processor: nothing touches the slot any more
            nanos.addAndGet(Duration.ofMinutes(11).toNanos());
            slots.tend();
            assertThatThrownBy(slot::checkHeld)
                    .hasMessage("Training model 'a' lost its training slot (unused for longer than 600s); try again");
            TrainingSlot taken = slots.tryAcquire("b", "query 2").orElseThrow();
            taken.close();

            // a slot its caller returns itself is never idle
            TrainingSlot blocking = slots.acquire("c", "application 1");
            nanos.addAndGet(Duration.ofHours(2).toNanos());
            slots.tend();
            blocking.checkHeld();
            blocking.close();
        }
    }

    @Test
    void aTrainingWhoseLeaseWasTakenOverFailsBeforeRegistering()
    {
        ModelStore later = new ModelStore(blobs(), ModelStoreConfig.local(temporary.resolve("store")), Optional.empty(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
        try (TrainingSlots stalled = new TrainingSlots(1, OptionalInt.of(1), store, Duration.ofSeconds(1), Duration.ofMinutes(10), SETTINGS, Ticker.systemTicker(), NEVER);
                TrainingSlots otherNode = new TrainingSlots(1, OptionalInt.of(1), later, Duration.ofSeconds(1), SETTINGS)) {
            TrainingSlot slot = stalled.tryAcquire("a", "query 1").orElseThrow();
            // the holder did not renew for two minutes: another node takes the expired lease over
            assertThat(otherNode.tryAcquire("b", "query 2")).isPresent();
            stalled.tend();
            assertThatThrownBy(slot::checkHeld)
                    .hasMessage("Training model 'a' lost its training slot (the store's lease of it expired and another training took it over); try again");
            slot.close();
            assertThat(stalled.heldOnThisNode()).isZero();
        }
    }

    private BlobStore blobs()
    {
        ModelStoreConfig config = ModelStoreConfig.local(temporary.resolve("store"));
        return BlobStores.open(config.location(), config.s3());
    }
}
