package io.onyxml.trino.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.airlift.units.DataSize;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.onyxml.trino.OnyxQueryRunner;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.lang.String.format;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Rows per second on {@code tpch.sf1.lineitem} (6,001,215 rows) of: the linear formula written as SQL arithmetic, the
 * scalar {@code predict}, the {@code predict} table function (under each evaluator: auto, onnxruntime, compiled), and
 * raw ONNX Runtime on the same rows (fed from float buffers in batches of 4,096 rows, as many threads as Trino has
 * cores), for the linear model over four columns, 100 trees of depth 6 as XGBoost exports them, and an MLP 4-64-64-1,
 * all in one run. The four columns are first copied into the memory connector so that the queries measure scoring,
 * not TPC-H data generation. Each measurement is the best of three runs; the first prints the query's peak memory.
 * <pre>
 * ./mvnw -q -pl trino-plugin -am test-compile exec:exec@trino-benchmark   # -Dbenchmark.args="0.1" for scale factor 0.1,
 *                                                                       # "1 linear,mlp" for some of the models
 * </pre>
 */
public final class PredictBenchmark
{
    private static final int RUNS = 3;
    private static final int BATCH = 4096;
    private static final String COLUMNS = "quantity, extendedprice, discount, tax";

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);

    private PredictBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        String schema = scale == 1.0 ? "sf1" : "\"sf" + args[0] + "\"";
        Path storeDirectory = Files.createTempDirectory("onyx-benchmark-");
        Map<String, byte[]> models = new LinkedHashMap<>();
        models.put("linear", TestModels.linearRegression());
        models.put("forest", TestModels.forest(100, 6, new float[] {1, 900, 0, 0}, new float[] {50, 105_000, 0.1f, 0.08f}, 42).bytes());
        models.put("mlp", TestModels.mlp(4, 64, 1, 42).bytes());
        if (args.length > 1) {
            models.keySet().retainAll(List.of(args[1].split(",")));
        }
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(storeDirectory))) {
            for (Map.Entry<String, byte[]> model : models.entrySet()) {
                store.register(model.getKey(), ModelSource.of(model.getValue()), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Double> rowsPerSecond = new LinkedHashMap<>();
        long rows;
        try (DistributedQueryRunner trino = OnyxQueryRunner.builder(storeDirectory)
                .setWorkerCount(0)
                .addExtraProperty("query.max-memory", "3GB")
                .addExtraProperty("query.max-memory-per-node", "3GB")
                .build()) {
            trino.createCatalog("bench", "memory", Map.of("memory.max-data-per-node", "2GB"));
            // the same store served by ONNX Runtime alone, and by the compiled evaluator in batches too
            for (String evaluator : List.of("onnxruntime", "compiled")) {
                trino.createCatalog("ml_" + evaluator, "onyx", Map.of("onyx.model-store", storeDirectory.toString(), "onyx.device", "cpu", "onyx.evaluator", evaluator));
            }
            trino.execute("CREATE TABLE bench.default.lineitem AS SELECT " + COLUMNS + " FROM tpch." + schema + ".lineitem");
            rows = (Long) trino.execute("SELECT count(*) FROM bench.default.lineitem").getOnlyValue();
            OUT.printf("%n%,d rows of tpch.%s.lineitem, %s cores%n", rows, schema, cores);

            rowsPerSecond.put("linear  SQL arithmetic", measure(trino, rows, "SELECT sum(0.5e0 * quantity - 1.25e0 * extendedprice + 2e0 * discount + 0.75e0 * tax + 3e0) FROM bench.default.lineitem"));
            for (String model : models.keySet()) {
                rowsPerSecond.put(model + "  scalar predict", measure(trino, rows, format("SELECT sum(predict('%s', %s)) FROM bench.default.lineitem", model, COLUMNS)));
                for (String catalog : List.of("ml", "ml_onnxruntime", "ml_compiled")) {
                    rowsPerSecond.put(model + "  table function " + catalog, measure(trino, rows, format(
                            "SELECT sum(prediction) FROM TABLE(%s.system.predict(input => TABLE(bench.default.lineitem), model => '%s', features => DESCRIPTOR(%s)))", catalog, model, COLUMNS)));
                }
            }
            OUT.println();
            trino.execute("SELECT name, row_evaluator, batch_evaluator, evaluator_note FROM ml.system.loaded_models ORDER BY name").getMaterializedRows()
                    .forEach(row -> OUT.printf("loaded in catalog ml: %s%n", row.getFields()));
        }
        float[] features = lineItems(scale);
        for (Map.Entry<String, byte[]> model : models.entrySet()) {
            rowsPerSecond.put(model.getKey() + "  raw ONNX Runtime", raw(model.getValue(), features, cores));
        }
        deleteRecursively(storeDirectory, ALLOW_INSECURE);

        OUT.println();
        OUT.println("                                         rows/s");
        rowsPerSecond.forEach((name, value) -> OUT.printf("%-38s %14.0f%n", name, value));
        OUT.println();
        if (models.containsKey("linear")) {
            OUT.printf("linear: scalar / SQL arithmetic                 %.3f   (target 0.5)%n", ratio(rowsPerSecond, "linear  scalar predict", "linear  SQL arithmetic"));
        }
        if (models.containsKey("forest")) {
            OUT.printf("forest: scalar / raw ORT batched %s          %.3f   (target 2)%n", BATCH, ratio(rowsPerSecond, "forest  scalar predict", "forest  raw ONNX Runtime"));
        }
        if (models.containsKey("mlp")) {
            OUT.printf("mlp:    scalar / raw ORT batched %s          %.3f   (target 0.25)%n", BATCH, ratio(rowsPerSecond, "mlp  scalar predict", "mlp  raw ONNX Runtime"));
        }
        for (String model : models.keySet()) {
            OUT.printf("%-7s table function / raw ORT               %.3f%n", model + ":", ratio(rowsPerSecond, model + "  table function ml", model + "  raw ONNX Runtime"));
            OUT.printf("%-7s table function compiled / onnxruntime  %.3f%n", model + ":", ratio(rowsPerSecond, model + "  table function ml_compiled", model + "  table function ml_onnxruntime"));
        }
        if (models.containsKey("linear")) {
            OUT.printf("linear: table function / SQL arithmetic         %.3f%n", ratio(rowsPerSecond, "linear  table function ml", "linear  SQL arithmetic"));
        }
    }

    private static double ratio(Map<String, Double> rowsPerSecond, String numerator, String denominator)
    {
        return rowsPerSecond.get(numerator) / rowsPerSecond.get(denominator);
    }

    private static double measure(DistributedQueryRunner trino, long rows, String sql)
    {
        long best = Long.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            MaterializedResultWithPlan result = trino.executeWithPlan(trino.getDefaultSession(), sql);
            best = Math.min(best, System.nanoTime() - start);
            if (run == 0) {
                DataSize peakMemory = trino.getCoordinator().getQueryManager().getFullQueryInfo(result.queryId()).getQueryStats().getPeakUserMemoryReservation();
                OUT.printf("%.3fs  peak memory %s  %s  -> %s%n", best / 1e9, peakMemory.succinct(), sql, result.result().getOnlyValue());
            }
        }
        return rows / (best / 1e9);
    }

    /**
     * The four columns of every line item, row-major, as the TPC-H generator behind the tpch connector makes them.
     */
    private static float[] lineItems(double scale)
    {
        FloatBuffer buffer = FloatBuffer.allocate(8_000_000 * 4);
        for (LineItem item : new LineItemGenerator(scale, 1, 1)) {
            buffer.put((float) item.quantity());
            buffer.put((float) item.extendedPrice());
            buffer.put((float) item.discount());
            buffer.put((float) item.tax());
        }
        float[] features = new float[buffer.position()];
        buffer.flip().get(features);
        return features;
    }

    /**
     * Raw ONNX Runtime over the rows, one session per thread, batches of 4096 rows copied into a reused direct buffer.
     */
    private static double raw(byte[] model, float[] features, int threads)
            throws Exception
    {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        int rows = features.length / 4;
        long best = Long.MAX_VALUE;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int run = 0; run < RUNS; run++) {
                long start = System.nanoTime();
                List<Future<Double>> parts = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    int from = (int) ((long) rows * thread / threads);
                    int to = (int) ((long) rows * (thread + 1) / threads);
                    parts.add(executor.submit(() -> score(environment, model, features, from, to)));
                }
                double sum = 0;
                for (Future<Double> part : parts) {
                    sum += part.get();
                }
                best = Math.min(best, System.nanoTime() - start);
                if (run == 0) {
                    OUT.printf("%.3fs  raw ONNX Runtime  -> %s%n", best / 1e9, sum);
                }
            }
        }
        finally {
            executor.shutdownNow();
        }
        return rows / (best / 1e9);
    }

    private static double score(OrtEnvironment environment, byte[] model, float[] features, int from, int to)
            throws Exception
    {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options)) {
                FloatBuffer input = ByteBuffer.allocateDirect(BATCH * 4 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
                double sum = 0;
                for (int row = from; row < to; row += BATCH) {
                    int count = Math.min(BATCH, to - row);
                    input.clear();
                    input.put(features, row * 4, count * 4).flip();
                    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[] {count, 4});
                            OrtSession.Result result = session.run(Map.of("x", tensor))) {
                        for (float value : ((OnnxTensor) result.get(0)).getFloatBuffer().array()) {
                            sum += value;
                        }
                    }
                }
                return sum;
            }
        }
    }
}
