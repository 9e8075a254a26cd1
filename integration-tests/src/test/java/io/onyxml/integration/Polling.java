package io.onyxml.integration;

import java.time.Duration;
import java.time.Instant;

/**
 * Waiting for a condition of a real process (a node joins, a task starts, a version takes effect) with a deadline.
 */
final class Polling
{
    private static final Duration PAUSE = Duration.ofMillis(200);

    private Polling() {}

    interface Condition
    {
        boolean holds()
                throws Exception;
    }

    /**
     * Returns once the condition holds; fails, naming what it waited for, when it still does not after the timeout.
     */
    static void await(String what, Duration timeout, Condition condition)
            throws Exception
    {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Waited " + timeout.toSeconds() + " s until " + what + ", in vain");
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
