package io.onyxml.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static io.onyxml.store.OnyxErrorCode.CONCURRENT_MODIFICATION;
import static java.util.Objects.requireNonNull;

/**
 * How a writer that lost a race to other writers keeps trying: it waits a random time whose limit doubles with each
 * loss up to a cap, so that colliding writers spread out, and gives up once its patience is spent. Patience is a time,
 * not a count of losses, because every loss means another writer made progress: with many writers one of them can
 * lose many times in a row without anything being wrong.
 */
public final class ContentionBackoff
{
    private final Duration firstPauseLimit;
    private final Duration maxPauseLimit;
    private final long deadlineNanos;
    private int losses;

    public ContentionBackoff(Duration firstPauseLimit, Duration maxPauseLimit, Duration patience)
    {
        this.firstPauseLimit = requireNonNull(firstPauseLimit, "firstPauseLimit is null");
        this.maxPauseLimit = requireNonNull(maxPauseLimit, "maxPauseLimit is null");
        this.deadlineNanos = System.nanoTime() + patience.toNanos();
    }

    /**
     * Records a lost race and waits before the next try.
     *
     * @return false when patience is spent and the caller should give up
     */
    public boolean pauseAfterLoss()
    {
        losses++;
        if (System.nanoTime() - deadlineNanos >= 0) {
            return false;
        }
        long limitMicros = Math.min(maxPauseLimit.toNanos() / 1000, (firstPauseLimit.toNanos() / 1000) << Math.min(losses - 1, 20));
        long pauseMicros = ThreadLocalRandom.current().nextLong(Math.max(limitMicros, 1) + 1);
        try {
            Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OnyxException(CONCURRENT_MODIFICATION, "Interrupted while waiting for other writers of the model store", e, true);
        }
        return true;
    }

    public int losses()
    {
        return losses;
    }
}
