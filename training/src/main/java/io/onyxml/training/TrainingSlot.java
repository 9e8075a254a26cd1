package io.onyxml.training;

import io.onyxml.store.OnyxException;
import io.onyxml.store.StoreLease;

import java.time.Duration;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.CONCURRENCY_LIMIT_EXCEEDED;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * A slot of {@link TrainingSlots} held by one training: returned by {@link #close()}, or taken back when its training
 * stops touching it.
 */
public final class TrainingSlot
        implements AutoCloseable
{
    private final TrainingSlots slots;
    private final String model;
    private final Optional<StoreLease> lease;
    private volatile long touched;
    private volatile boolean heldByCaller;
    private volatile boolean lost;
    private volatile boolean closed;

    TrainingSlot(TrainingSlots slots, String model, Optional<StoreLease> lease)
    {
        this.slots = requireNonNull(slots, "slots is null");
        this.model = requireNonNull(model, "model is null");
        this.lease = requireNonNull(lease, "lease is null");
        this.touched = slots.ticker().read();
    }

    /**
     * Says the training is alive; engines that may drop a training without a call touch its slot at every step.
     */
    public void touch()
    {
        touched = slots.ticker().read();
    }

    /**
     * Fails when the slot was taken back (abandoned) or its cluster lease was lost, so that the training does not
     * register a version while another training holds its place.
     */
    public void checkHeld()
    {
        if (closed || lost) {
            throw new OnyxException(CONCURRENCY_LIMIT_EXCEEDED, format(
                    "Training model '%s' lost its training slot (%s); try again",
                    model,
                    closed ? "unused for longer than " + TrainingLimits.describe(slots.abandonedAfter()) : "the store's lease of it expired and another training took it over"));
        }
    }

    /**
     * For a caller that returns the slot itself, whatever happens (a blocking training in a try block): never idle.
     */
    void markHeldByCaller()
    {
        heldByCaller = true;
    }

    Duration idleFor()
    {
        return heldByCaller ? Duration.ZERO : Duration.ofNanos(slots.ticker().read() - touched);
    }

    void renew()
    {
        if (lease.isEmpty() || closed) {
            return;
        }
        try {
            if (!lease.get().renew()) {
                lost = true;
            }
        }
        catch (OnyxException e) {
            // the store did not answer: try again at the next renewal, within the lease
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        slots.release(this);
        lease.ifPresent(held -> {
            try {
                held.close();
            }
            catch (OnyxException e) {
                // the lease expires by itself
            }
        });
    }
}
