package io.onyxml.training;

import com.google.common.base.Ticker;
import io.onyxml.store.ModelStore;
import io.onyxml.store.OnyxException;
import io.onyxml.store.StoreLease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.store.OnyxErrorCode.CONCURRENCY_LIMIT_EXCEEDED;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * How many trainings run at once: on this node, counted in this process, and optionally across every node and
 * engine that uses the store, counted by {@link StoreLease leases} in the store. A training takes a slot of each
 * before it starts and returns them when it has registered its version or failed; one that finds none waits, and
 * fails with {@code CONCURRENCY_LIMIT_EXCEEDED} after the longest wait.
 * <p>
 * Some engines cannot tell a training that stopped (Trino drops the processor of a cancelled query without a call):
 * their trainings {@linkplain TrainingSlot#touch touch} the slot at every step, and a slot untouched for
 * {@link #abandonedAfter()} is taken back. Leases of live slots are renewed in the background.
 */
public final class TrainingSlots
        implements AutoCloseable
{
    public static final String POOL = "training";
    public static final Duration LEASE = Duration.ofSeconds(60);

    private final int perNode;
    private final OptionalInt perCluster;
    private final ModelStore store;
    private final Duration maxWait;
    private final Duration abandonedAfter;
    private final Settings settings;
    private final Ticker ticker;
    private final Semaphore nodeSlots;
    private final Set<TrainingSlot> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewals;

    /**
     * The engine's names of the settings, for messages that say what to raise.
     */
    public record Settings(String perNode, String perCluster, String maxWait)
    {
        public Settings
        {
            requireNonNull(perNode, "perNode is null");
            requireNonNull(perCluster, "perCluster is null");
            requireNonNull(maxWait, "maxWait is null");
        }
    }

    public TrainingSlots(int perNode, OptionalInt perCluster, ModelStore store, Duration maxWait, Settings settings)
    {
        this(perNode, perCluster, store, maxWait, Duration.ofMinutes(10), settings, Ticker.systemTicker(), LEASE.dividedBy(3));
    }

    TrainingSlots(int perNode, OptionalInt perCluster, ModelStore store, Duration maxWait, Duration abandonedAfter, Settings settings, Ticker ticker, Duration renewEvery)
    {
        checkArgument(perNode > 0, "perNode must be positive");
        checkArgument(perCluster.orElse(1) > 0, "perCluster must be positive");
        this.perNode = perNode;
        this.perCluster = perCluster;
        this.store = requireNonNull(store, "store is null");
        this.maxWait = requireNonNull(maxWait, "maxWait is null");
        this.abandonedAfter = requireNonNull(abandonedAfter, "abandonedAfter is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.nodeSlots = new Semaphore(perNode);
        this.renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "onyx-training-slots");
            thread.setDaemon(true);
            return thread;
        });
        renewals.scheduleWithFixedDelay(this::tend, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A slot for training {@code model} if one is free now, on this node and (where limited) in the cluster.
     *
     * @param owner who trains, written into the cluster lease (a query id, an application id)
     */
    public Optional<TrainingSlot> tryAcquire(String model, String owner)
    {
        if (!nodeSlots.tryAcquire()) {
            return Optional.empty();
        }
        Optional<StoreLease> lease = Optional.empty();
        try {
            if (perCluster.isPresent()) {
                lease = store.tryLease(POOL, perCluster.getAsInt(), owner + " training " + model, LEASE);
                if (lease.isEmpty()) {
                    nodeSlots.release();
                    return Optional.empty();
                }
            }
        }
        catch (RuntimeException e) {
            nodeSlots.release();
            throw e;
        }
        TrainingSlot slot = new TrainingSlot(this, model, lease);
        held.add(slot);
        return Optional.of(slot);
    }

    /**
     * A slot for training {@code model}, waiting for one at most {@link #maxWait()}; for engines whose training
     * holds its thread anyway (Spark's driver) and returns the slot in a {@code finally}, so it never needs touching.
     */
    public TrainingSlot acquire(String model, String owner)
    {
        long start = ticker.read();
        long pause = 50;
        while (true) {
            Optional<TrainingSlot> slot = tryAcquire(model, owner);
            if (slot.isPresent()) {
                slot.get().markHeldByCaller();
                return slot.get();
            }
            Duration waited = Duration.ofNanos(ticker.read() - start);
            if (waited.compareTo(maxWait) >= 0) {
                throw waitedTooLong(model, waited);
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, maxWait.minus(waited).toMillis())));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OnyxException(CONCURRENCY_LIMIT_EXCEEDED, format("Training model '%s' was interrupted while waiting for a training slot", model), e);
            }
            pause = Math.min(pause * 2, 1000);
        }
    }

    /**
     * The error for a training that waited longer than {@link #maxWait()} for a slot.
     */
    public OnyxException waitedTooLong(String model, Duration waited)
    {
        String cluster = perCluster.isPresent()
                ? format(" and at most %s in the cluster (%s)", perCluster.getAsInt(), settings.perCluster())
                : "";
        return new OnyxException(CONCURRENCY_LIMIT_EXCEEDED, format(
                "Training model '%s' waited %s for a training slot: at most %s trainings run at once on each node (%s)%s; try again later, or raise the limits or %s",
                model,
                TrainingLimits.describe(Duration.ofSeconds(Math.max(1, Math.round(waited.toMillis() / 1000.0)))),
                perNode,
                settings.perNode(),
                cluster,
                settings.maxWait()));
    }

    public Duration maxWait()
    {
        return maxWait;
    }

    public Duration abandonedAfter()
    {
        return abandonedAfter;
    }

    /**
     * How many slots of this node are held now.
     */
    public int heldOnThisNode()
    {
        return perNode - nodeSlots.availablePermits();
    }

    Ticker ticker()
    {
        return ticker;
    }

    void release(TrainingSlot slot)
    {
        if (held.remove(slot)) {
            nodeSlots.release();
        }
    }

    /**
     * Takes back abandoned slots and renews the leases of the others; a lease another holder took over marks its
     * slot lost, so that its training fails before registering instead of running past the limit.
     */
    void tend()
    {
        List<TrainingSlot> abandoned = new ArrayList<>();
        for (TrainingSlot slot : held) {
            if (slot.idleFor().compareTo(abandonedAfter) > 0) {
                abandoned.add(slot);
            }
            else {
                slot.renew();
            }
        }
        abandoned.forEach(TrainingSlot::close);
    }

    @Override
    public void close()
    {
        renewals.shutdownNow();
        List.copyOf(held).forEach(TrainingSlot::close);
    }
}
