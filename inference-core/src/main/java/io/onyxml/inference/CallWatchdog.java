package io.onyxml.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * Stops ONNX Runtime calls that run longer than their limit (a Loop whose trip count comes from a user's column could
 * otherwise hold a worker's thread for hours, and cancelling a query does not stop a native call). Each thread keeps
 * one {@link Call} with its own run options; one daemon thread looks at the calls under way every
 * {@value #CHECK_MILLIS} ms and tells ONNX Runtime to terminate those past their limit. A call costs two uncontended
 * locks, no native call and no timer task.
 */
final class CallWatchdog
{
    private static final long CHECK_MILLIS = 100;
    private static final Set<Call> CALLS = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<Call> CURRENT = ThreadLocal.withInitial(CallWatchdog::newCall);

    static {
        Thread watchdog = new Thread(CallWatchdog::watch, "onyx-call-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private CallWatchdog() {}

    /**
     * The call this thread starts now, stopped once it has run {@code limit}; end it with {@link Call#end()}.
     */
    static Call begin(Duration limit)
            throws OrtException
    {
        Call call = CURRENT.get();
        call.begin(limit.toNanos());
        return call;
    }

    private static Call newCall()
    {
        try {
            Call call = new Call(Thread.currentThread(), new RunOptions());
            CALLS.add(call);
            return call;
        }
        catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not create run options", e);
        }
    }

    private static void watch()
    {
        while (true) {
            LockSupport.parkNanos(MILLISECONDS.toNanos(CHECK_MILLIS));
            long now = System.nanoTime();
            for (Iterator<Call> iterator = CALLS.iterator(); iterator.hasNext(); ) {
                Call call = iterator.next();
                if (call.threadEnded()) {
                    iterator.remove();
                    call.close();
                }
                else {
                    call.stopIfLate(now);
                }
            }
        }
    }

    static final class Call
    {
        private final WeakReference<Thread> thread;
        private final RunOptions options;
        private long started;
        private long limit;
        private boolean terminated;

        private Call(Thread thread, RunOptions options)
        {
            this.thread = new WeakReference<>(thread);
            this.options = options;
        }

        RunOptions options()
        {
            return options;
        }

        private synchronized void begin(long limitNanos)
                throws OrtException
        {
            if (terminated) {
                options.setTerminate(false);
                terminated = false;
            }
            limit = limitNanos;
            started = System.nanoTime();
        }

        /**
         * Whether the watchdog stopped this call because it ran past its limit.
         */
        synchronized boolean terminated()
        {
            return terminated;
        }

        synchronized void end()
        {
            started = 0;
        }

        private synchronized void stopIfLate(long now)
        {
            if (started != 0 && !terminated && now - started > limit) {
                try {
                    options.setTerminate(true);
                    terminated = true;
                }
                catch (OrtException e) {
                    // the call ends by itself
                }
            }
        }

        private boolean threadEnded()
        {
            Thread owner = thread.get();
            return owner == null || !owner.isAlive();
        }

        private synchronized void close()
        {
            options.close();
        }
    }
}
