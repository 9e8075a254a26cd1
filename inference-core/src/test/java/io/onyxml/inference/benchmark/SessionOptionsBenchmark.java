package io.onyxml.inference.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static java.lang.String.format;

/**
 * Rows per second of raw ONNX Runtime at batch 4096 (a reused direct FloatBuffer, as in
 * {@link BatchedScoringBenchmark}) for the linear model, the MLP 4-64-64-1 and the 100-tree forest, under ONNX Runtime
 * session options changed one at a time from {@link io.onyxml.inference.ModelLoader}'s: one intra-op thread, one
 * inter-op thread, graph optimisation ALL, CPU memory arena and memory patterns on. Its main runs the benchmark, prints
 * the table, then measures in child JVMs the resident memory that 8 sessions of each model add, having each scored
 * a few batches, with the arena and memory patterns on and off. Run it with
 * <pre>
 * ./mvnw -q -o -pl inference-core -am test-compile exec:exec@inference-benchmark \
 *     -Dbenchmark.main=io.onyxml.inference.benchmark.SessionOptionsBenchmark \
 *     -Dbenchmark.args="-f 1 -wi 3 -w 1 -i 5 -r 1"
 * </pre>
 * JMH options pass through ({@code -p model=mlp}); {@code -rss false} skips the memory probe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(SessionOptionsBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionOptionsBenchmark
{
    static final int BATCH = 4096;
    private static final List<String> OPTIONS = List.of("default", "arenaOff", "memoryPatternOff", "basic", "extended", "twoThreads");
    private static final int RSS_SESSIONS = 8;

    @Param({"linear", "mlp", "forest"})
    public String model;

    @Param({"default", "arenaOff", "memoryPatternOff", "basic", "extended", "twoThreads"})
    public String options;

    private OrtEnvironment environment;
    private OrtSession.SessionOptions sessionOptions;
    private OrtSession session;
    private FloatBuffer input;
    private long[] shape;

    @Setup(Level.Trial)
    public void setUp()
            throws OrtException
    {
        environment = OrtEnvironment.getEnvironment();
        sessionOptions = sessionOptions(options);
        session = environment.createSession(BenchmarkModels.bytes(model), sessionOptions);
        input = inputBuffer(model);
        shape = new long[] {BATCH, BenchmarkModels.FEATURES};
    }

    @TearDown(Level.Trial)
    public void tearDown()
            throws OrtException
    {
        session.close();
        sessionOptions.close();
    }

    @Benchmark
    public float[] score()
            throws OrtException
    {
        return run(environment, session, input, shape);
    }

    private static float[] run(OrtEnvironment environment, OrtSession session, FloatBuffer input, long[] shape)
            throws OrtException
    {
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
                OrtSession.Result result = session.run(Map.of("x", tensor))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
    }

    private static FloatBuffer inputBuffer(String model)
    {
        float[] values = BenchmarkModels.inputs(model, BATCH, 1);
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(0, values);
        return buffer;
    }

    /**
     * ModelLoader's options with one of them changed.
     */
    static OrtSession.SessionOptions sessionOptions(String variant)
            throws OrtException
    {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(variant.equals("twoThreads") ? 2 : 1);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(switch (variant) {
            case "basic" -> OptLevel.BASIC_OPT;
            case "extended" -> OptLevel.EXTENDED_OPT;
            default -> OptLevel.ALL_OPT;
        });
        options.setCPUArenaAllocator(!variant.equals("arenaOff") && !variant.equals("arenaAndPatternOff"));
        options.setMemoryPatternOptimization(!variant.equals("memoryPatternOff") && !variant.equals("arenaAndPatternOff"));
        return options;
    }

    public static void main(String[] args)
            throws Exception
    {
        List<String> jmhArgs = new ArrayList<>(List.of(args));
        boolean rss = true;
        int flag = jmhArgs.indexOf("-rss");
        if (flag >= 0) {
            rss = Boolean.parseBoolean(jmhArgs.get(flag + 1));
            jmhArgs.subList(flag, flag + 2).clear();
        }
        CommandLineOptions commandLine = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        OptionsBuilder builder = new OptionsBuilder();
        if (commandLine.getIncludes().isEmpty()) {
            builder.include(SessionOptionsBenchmark.class.getName() + ".score");
        }
        Options options = builder.parent(commandLine).build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Map<String, Double>> table = new TreeMap<>();
        for (RunResult result : results) {
            table.computeIfAbsent(result.getParams().getParam("model"), ignored -> new TreeMap<>())
                    .put(result.getParams().getParam("options"), result.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("rows/s of raw ONNX Runtime at batch " + BATCH + " (ratio to ModelLoader's defaults)");
        StringBuilder header = new StringBuilder(format("%-7s", "model"));
        OPTIONS.forEach(name -> header.append(format("  %22s", name)));
        System.out.println(header);
        table.forEach((model, scores) -> {
            StringBuilder line = new StringBuilder(format("%-7s", model));
            double base = scores.getOrDefault("default", Double.NaN);
            for (String name : OPTIONS) {
                double score = scores.getOrDefault(name, Double.NaN);
                line.append(format("  %13.0f (%5.2fx)", score, score / base));
            }
            System.out.println(line);
        });

        if (rss) {
            System.out.println();
            System.out.println("resident memory added by " + RSS_SESSIONS + " sessions that each scored 4 batches of " + BATCH + " rows (MiB, median of 3 JVMs)");
            System.out.println(format("%-7s  %12s  %12s  %12s  %12s", "model", "default", "arenaOff", "patternOff", "both off"));
            for (String model : List.of("linear", "mlp", "forest")) {
                StringBuilder line = new StringBuilder(format("%-7s", model));
                for (String variant : List.of("default", "arenaOff", "memoryPatternOff", "arenaAndPatternOff")) {
                    line.append(format("  %12.1f", probeRss(model, variant) / 1024.0));
                }
                System.out.println(line);
            }
        }
    }

    /**
     * The median of three measures by {@link RssProbe}, each in a JVM of its own, in kB.
     */
    private static long probeRss(String model, String variant)
            throws IOException, InterruptedException
    {
        long[] kilobytes = {probeRssOnce(model, variant), probeRssOnce(model, variant), probeRssOnce(model, variant)};
        Arrays.sort(kilobytes);
        return kilobytes[1];
    }

    private static long probeRssOnce(String model, String variant)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                // the heap resident from the start, so that it adds nothing to the growth measured
                "-Xms128m",
                "-Xmx128m",
                "-XX:+AlwaysPreTouch",
                "-cp",
                System.getProperty("java.class.path"),
                RssProbe.class.getName(),
                model,
                variant)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (process.waitFor() != 0) {
            throw new IOException("the memory probe failed: " + output);
        }
        return Long.parseLong(output);
    }

    /**
     * Prints the growth of VmRSS, in kB, from before the sessions exist (the environment created and one session
     * created, run and closed, so that the native library and its one-time allocations are in) to after
     * {@link #RSS_SESSIONS} sessions each scored 4 batches and are still open.
     */
    public static final class RssProbe
    {
        private RssProbe() {}

        public static void main(String[] args)
                throws Exception
        {
            String model = args[0];
            String variant = args[1];
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            byte[] bytes = BenchmarkModels.bytes(model);
            FloatBuffer input = inputBuffer(model);
            long[] shape = {BATCH, BenchmarkModels.FEATURES};
            try (OrtSession.SessionOptions options = sessionOptions(variant);
                    OrtSession session = environment.createSession(bytes, options)) {
                run(environment, session, input, shape);
            }
            System.gc();
            long before = residentKilobytes();
            List<OrtSession> sessions = new ArrayList<>();
            List<OrtSession.SessionOptions> allOptions = new ArrayList<>();
            for (int i = 0; i < RSS_SESSIONS; i++) {
                OrtSession.SessionOptions options = sessionOptions(variant);
                allOptions.add(options);
                OrtSession session = environment.createSession(bytes, options);
                sessions.add(session);
                for (int batch = 0; batch < 4; batch++) {
                    run(environment, session, input, shape);
                }
            }
            System.gc();
            long after = residentKilobytes();
            System.out.println(after - before);
            for (OrtSession session : sessions) {
                session.close();
            }
            for (OrtSession.SessionOptions options : allOptions) {
                options.close();
            }
        }

        private static long residentKilobytes()
                throws IOException
        {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").strip());
                }
            }
            throw new IOException("no VmRSS in /proc/self/status");
        }
    }
}
