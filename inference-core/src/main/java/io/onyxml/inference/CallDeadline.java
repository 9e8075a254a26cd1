package io.onyxml.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * The longest one ONNX Runtime call may run: the call's run options, which a shared timer tells ONNX Runtime to
 * terminate once the limit has passed (a Loop whose trip count comes from a user's column could otherwise hold a
 * worker's thread for hours, and cancelling a query does not stop a native call).
 */
final class CallDeadline
        implements AutoCloseable
{
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "onyx-call-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final RunOptions options;
    private final ScheduledFuture<?> alarm;
    private boolean expired;
    private boolean closed;

    private CallDeadline(Duration limit)
            throws OrtException
    {
        this.options = new RunOptions();
        this.alarm = TIMER.schedule(this::expire, limit.toNanos(), NANOSECONDS);
    }

    static CallDeadline start(Duration limit)
            throws OrtException
    {
        return new CallDeadline(limit);
    }

    RunOptions options()
    {
        return options;
    }

    /**
     * Whether ONNX Runtime was told to stop the call because it ran past the limit.
     */
    synchronized boolean expired()
    {
        return expired;
    }

    private synchronized void expire()
    {
        if (closed) {
            return;
        }
        try {
            options.setTerminate(true);
            expired = true;
        }
        catch (OrtException e) {
            // the call ends by itself
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        alarm.cancel(false);
        options.close();
    }
}
