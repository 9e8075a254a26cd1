package io.onyxml.inference.benchmark;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.String.format;

/**
 * Runs {@link BatchedScoringBenchmark} and prints rows per second for each model and batch size, with the ratio of
 * the batched API to raw ONNX Runtime measured in the same run. JMH command-line options (e.g. {@code -p batchSize=1024},
 * {@code -wi 1 -i 2}) are passed through.
 */
public final class ScoringBenchmarkReport
{
    private ScoringBenchmarkReport() {}

    public static void main(String[] args)
            throws Exception
    {
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(BatchedScoringBenchmark.class.getSimpleName())
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, double[]> rows = new TreeMap<>();
        for (RunResult result : results) {
            String model = result.getParams().getParam("model");
            int batchSize = Integer.parseInt(result.getParams().getParam("batchSize"));
            String key = format("%-6s %5d", model, batchSize);
            double rowsPerSecond = result.getPrimaryResult().getScore() * batchSize;
            String benchmark = result.getParams().getBenchmark();
            int column = benchmark.endsWith("onyxDoubleColumns") ? 0 : benchmark.endsWith("onyxFloatArray") ? 1 : 2;
            rows.computeIfAbsent(key, ignored -> new double[3])[column] = rowsPerSecond;
        }
        System.out.println();
        System.out.println("rows/s; ratios to raw ONNX Runtime measured in the same run");
        System.out.println("model  batch   onyx 4 double cols  onyx float array    raw ORT    doubles/raw  array/raw");
        rows.forEach((key, values) -> System.out.println(format(
                "%s  %18.0f  %16.0f  %10.0f  %11.2f  %9.2f",
                key,
                values[0],
                values[1],
                values[2],
                values[0] / values[2],
                values[1] / values[2])));
    }
}
