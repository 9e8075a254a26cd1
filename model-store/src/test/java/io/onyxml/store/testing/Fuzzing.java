package io.onyxml.store.testing;

import com.google.common.base.Throwables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.lang.String.format;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Runs the iterations of a fuzz test within its share of the time all fuzz tests may take together, system property
 * {@value #SECONDS} (default 20 seconds, so that a build stays fast; raise it for a longer search). Iteration
 * {@code i} draws its mutant from a generator seeded by the base seed ({@value #SEED}) and {@code i} alone, so a
 * failure names the two properties that run exactly that mutant again ({@value #ITERATION} runs one iteration), and
 * {@value #TRACE} names a file that gets each iteration's number before it runs.
 */
public final class Fuzzing
{
    public static final String SECONDS = "onyx.fuzz.seconds";
    public static final String SEED = "onyx.fuzz.seed";
    public static final String ITERATION = "onyx.fuzz.iteration";
    // a file that gets each iteration's number before it runs, to find the mutant that crashed the JVM
    public static final String TRACE = "onyx.fuzz.trace";

    private static final double DEFAULT_SECONDS = 20;
    private static final long DEFAULT_SEED = 0x0111_2026L;
    // a mutant that takes this long points at a cost bomb, not at a slow machine
    private static final int MAX_ITERATION_SECONDS = 60;
    private static final Duration MAX_ITERATION = Duration.ofSeconds(MAX_ITERATION_SECONDS);

    private Fuzzing() {}

    /**
     * One iteration: checks one mutant and names its outcome (e.g. {@code registered} or an error code) for the
     * summary; throws to fail the test.
     */
    @FunctionalInterface
    public interface Iteration
    {
        String run(Random random)
                throws Exception;
    }

    /**
     * The outcome of each mutant counted, the time taken and the slowest iteration.
     */
    public record Summary(String name, long seed, int iterations, Map<String, Integer> outcomes, Duration elapsed, Duration slowest, long slowestIteration)
    {
        @Override
        public String toString()
        {
            return format("fuzz %s: %s mutants in %.1f s (seed %s; slowest: iteration %s, %s ms): %s",
                    name, iterations, elapsed.toMillis() / 1000.0, seed, slowestIteration, slowest.toMillis(), outcomes);
        }
    }

    /**
     * Runs iterations 0, 1, 2, ... until {@code share} of the fuzz time is spent (at least one), prints and returns
     * the summary. The iterations run in a daemon thread, so that one that never ends (a call into native code that
     * nothing interrupts) fails the test after {@value #MAX_ITERATION_SECONDS} seconds, naming it, instead of holding up
     * the build.
     */
    public static Summary run(String name, double share, Iteration iteration)
    {
        long seed = Long.getLong(SEED, DEFAULT_SEED);
        String only = System.getProperty(ITERATION);
        Duration budget = Duration.ofMillis((long) (Double.parseDouble(System.getProperty(SECONDS, String.valueOf(DEFAULT_SECONDS))) * share * 1000));
        Progress progress = new Progress();
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fuzz " + name);
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Summary> summary = executor.submit(() -> iterate(name, seed, only, budget, iteration, progress));
            while (true) {
                try {
                    return summary.get(1, TimeUnit.SECONDS);
                }
                catch (TimeoutException e) {
                    long running = System.nanoTime() - progress.iterationStart;
                    if (running > MAX_ITERATION.toNanos()) {
                        throw new AssertionError(format("fuzz %s: iteration %s has run for %s s and goes on; run it again with -D%s=%s -D%s=%s",
                                name, progress.iteration, running / 1_000_000_000, SEED, seed, ITERATION, progress.iteration));
                    }
                }
                catch (ExecutionException e) {
                    Throwables.throwIfUnchecked(e.getCause());
                    Throwables.throwIfInstanceOf(e.getCause(), Error.class);
                    throw new AssertionError(e.getCause());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    /**
     * The iteration running and since when, for the thread that watches it.
     */
    private static final class Progress
    {
        volatile long iteration;
        volatile long iterationStart = System.nanoTime();
    }

    private static Summary iterate(String name, long seed, String only, Duration budget, Iteration iteration, Progress progress)
    {
        Map<String, Integer> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        long first = only == null ? 0 : Long.parseLong(only);
        int count = 0;
        Duration slowest = Duration.ZERO;
        long slowestIteration = -1;
        Optional<Path> trace = Optional.ofNullable(System.getProperty(TRACE)).map(Path::of);
        for (long index = first; count == 0 || (only == null && System.nanoTime() - start < budget.toNanos()); index++) {
            if (trace.isPresent()) {
                trace(trace.get(), format("%s seed %s iteration %s%n", name, seed, index));
            }
            long iterationStart = System.nanoTime();
            progress.iteration = index;
            progress.iterationStart = iterationStart;
            String outcome;
            try {
                outcome = iteration.run(random(seed, index));
            }
            catch (Throwable e) {
                throw new AssertionError(format("fuzz %s failed at iteration %s; run it again with -D%s=%s -D%s=%s: %s", name, index, SEED, seed, ITERATION, index, e), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - iterationStart);
            if (took.compareTo(slowest) > 0) {
                slowest = took;
                slowestIteration = index;
            }
            outcomes.merge(outcome, 1, Integer::sum);
            count++;
        }
        Summary summary = new Summary(name, seed, count, outcomes, Duration.ofNanos(System.nanoTime() - start), slowest, slowestIteration);
        System.out.println(summary);
        return summary;
    }

    private static void trace(Path file, String line)
    {
        try {
            Files.writeString(file, line, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The generator of one iteration: seeds of neighbouring iterations are spread apart first, since
     * {@link Random}'s first values follow its seed closely.
     */
    public static Random random(long seed, long iteration)
    {
        return new Random(new SplittableRandom(seed * 0x9E37_79B9_7F4A_7C15L + iteration).nextLong());
    }
}
