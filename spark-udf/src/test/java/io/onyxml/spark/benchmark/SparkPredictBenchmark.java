package io.onyxml.spark.benchmark;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.spark.Onyx;
import io.onyxml.spark.OnyxExtensions;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.types.DataTypes;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

/**
 * The Spark issue's benchmark, in one local[2] run (not a test: numbers are read, compared as ratios measured in the
 * same run, and recorded in the README):
 * <ul>
 * <li>scoring 1M cached rows with an MLP 4-64-64-1: a row-at-a-time UDF calling ONNX Runtime, a hand-written
 * {@code mapPartitions} calling it on 4,096 rows at a time, Onyx's SQL {@code predict} and {@code Onyx.predict}
 * (targets: SQL predict at least 10 x the row UDF and 0.7 x the mapPartitions path);</li>
 * <li>training a linear regression on 6M cached rows x 4 features: {@code Onyx.trainModel} against Spark MLlib's
 * {@code LinearRegression} with the normal solver (target: at most 1 x MLlib's time).</li>
 * </ul>
 * Each measurement is the best of three. SynapseML's {@code ONNXModel} is not measured: its jars are built for Scala
 * 2.12 and Spark 3.5 and do not load in Spark 4 (Scala 2.13).
 * <pre>
 * ./mvnw -q -pl spark-udf -am test-compile exec:exec@spark-benchmark    # -Dbenchmark.args="1000000 6000000"
 * </pre>
 */
public final class SparkPredictBenchmark
{
    private static final int RUNS = 3;
    private static final int BATCH = 4096;
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);

    private SparkPredictBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        long scoringRows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        long trainingRows = args.length > 1 ? Long.parseLong(args[1]) : 6_000_000;
        Path storeDirectory = Files.createTempDirectory("onyx-spark-benchmark-");
        Path modelFile = storeDirectory.resolve("mlp.onnx");
        TestModels.Mlp mlp = TestModels.mlp(4, 64, 1, 42);
        Files.write(modelFile, mlp.bytes());
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(storeDirectory.resolve("store")))) {
            store.register("mlp", ModelSource.of(mlp.bytes()), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        }
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("onyx-spark-benchmark")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.extensions", OnyxExtensions.class.getName())
                .config("spark.onyx.model-store", storeDirectory.resolve("store").toString())
                .config("spark.onyx.device", "cpu")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            scoring(spark, modelFile, scoringRows);
            training(spark, trainingRows);
        }
        finally {
            spark.stop();
            deleteRecursively(storeDirectory, ALLOW_INSECURE);
        }
    }

    private static void scoring(SparkSession spark, Path modelFile, long rows)
            throws Exception
    {
        Dataset<Row> features = spark.range(rows)
                .selectExpr("rand(1) AS x_0", "rand(2) AS x_1", "rand(3) AS x_2", "rand(4) AS x_3")
                .repartition(2)
                .cache();
        features.createOrReplaceTempView("features");
        OUT.printf("scoring %,d cached rows with an MLP 4-64-64-1 in local[2] (%,d rows)%n", rows, features.count());
        String model = modelFile.toString();
        spark.udf().register("row_predict", (UDF4<Double, Double, Double, Double, Double>) (a, b, c, d) -> RowSessions.predict(model, a, b, c, d), DataTypes.DoubleType);

        Map<String, Double> rowsPerSecond = new LinkedHashMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        measure(rowsPerSecond, sums, "row-at-a-time UDF", rows, () -> spark.sql("SELECT sum(row_predict(x_0, x_1, x_2, x_3)) FROM features").first().getDouble(0));
        measure(rowsPerSecond, sums, "mapPartitions, 4096 rows per call", rows, () -> features
                .mapPartitions((MapPartitionsFunction<Row, Double>) partition -> RowSessions.batches(model, partition), Encoders.DOUBLE())
                .agg(sum(col("value")))
                .first()
                .getDouble(0));
        measure(rowsPerSecond, sums, "Onyx SQL predict", rows, () -> spark.sql("SELECT sum(predict('mlp', x_0, x_1, x_2, x_3)) FROM features").first().getDouble(0));
        measure(rowsPerSecond, sums, "Onyx.predict", rows, () -> Onyx.predict(features, "mlp").agg(sum(col("prediction"))).first().getDouble(0));

        double udf = rowsPerSecond.get("row-at-a-time UDF");
        double batches = rowsPerSecond.get("mapPartitions, 4096 rows per call");
        rowsPerSecond.forEach((name, speed) -> OUT.printf("  %-36s %,12.0f rows/s  %6.2f x the row UDF  %5.2f x mapPartitions  (sum %.6f)%n", name, speed, speed / udf, speed / batches, sums.get(name)));
        features.unpersist();
    }

    private static void training(SparkSession spark, long rows)
            throws Exception
    {
        Dataset<Row> table = spark.range(rows)
                .selectExpr("rand(1) AS a", "rand(2) * 10 AS b", "rand(3) - 0.5 AS c", "rand(4) * 100 AS d")
                .selectExpr("a", "b", "c", "d", "3 * a - 2 * b + 0.5 * c + 0.01 * d + 1 + rand(5) AS y")
                .repartition(2)
                .cache();
        OUT.printf("training a linear regression on %,d cached rows x 4 features in local[2] (%,d rows)%n", rows, table.count());
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("features");
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<String> results = new ArrayList<>();
        time(seconds, "Spark MLlib LinearRegression (normal)", () -> {
            LinearRegressionModel model = new LinearRegression().setSolver("normal").setLabelCol("y").setFeaturesCol("features").fit(assembler.transform(table));
            return results.add("MLlib coefficients " + model.coefficients() + " intercept " + model.intercept());
        });
        time(seconds, "Onyx.trainModel linear_regression", () -> {
            Row row = Onyx.trainModel(table, "benchmark_linear", "y", "linear_regression", null).first();
            return results.add("Onyx " + row.getString(0) + " r2 " + row.getJavaMap(row.fieldIndex("metrics")).get("r2") + " " + row.getString(row.fieldIndex("model")));
        });
        double mllib = seconds.get("Spark MLlib LinearRegression (normal)");
        seconds.forEach((name, time) -> OUT.printf("  %-40s %8.2f s  %5.2f x MLlib's time%n", name, time, time / mllib));
        OUT.println("  " + results.get(0));
        OUT.println("  " + results.get(results.size() - 1));
        table.unpersist();
    }

    private static void measure(Map<String, Double> rowsPerSecond, Map<String, Double> sums, String name, long rows, Callable<Double> query)
            throws Exception
    {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            double sum = query.call();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            sums.put(name, sum);
        }
        rowsPerSecond.put(name, rows / best);
        OUT.printf("    %s: best %.3f s%n", name, best);
    }

    private static void time(Map<String, Double> seconds, String name, Callable<?> work)
            throws Exception
    {
        double best = Double.MAX_VALUE;
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            work.call();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        seconds.put(name, best);
        OUT.printf("    %s: best %.2f s%n", name, best);
    }

    /**
     * Raw ONNX Runtime, as a user's own UDF or mapPartitions would call it: one session per JVM, inputs copied into a
     * direct float buffer reused per thread.
     */
    static final class RowSessions
    {
        private static OrtSession session;
        private static final ThreadLocal<FloatBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BATCH * 4 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());

        private RowSessions() {}

        static synchronized OrtSession session(String model)
                throws OrtException
        {
            if (session == null) {
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                options.setIntraOpNumThreads(1);
                session = OrtEnvironment.getEnvironment().createSession(model, options);
            }
            return session;
        }

        static double predict(String model, double a, double b, double c, double d)
                throws OrtException
        {
            FloatBuffer buffer = BUFFERS.get();
            buffer.clear();
            buffer.put((float) a).put((float) b).put((float) c).put((float) d).flip();
            try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, new long[] {1, 4});
                    OrtSession.Result result = session(model).run(Map.of("x", input))) {
                return ((float[][]) result.get(0).getValue())[0][0];
            }
        }

        /**
         * The scores of a partition's rows, a batch of 4,096 rows per call, computed as they are read.
         */
        static Iterator<Double> batches(String model, Iterator<Row> rows)
                throws OrtException
        {
            OrtSession session = session(model);
            FloatBuffer buffer = BUFFERS.get();
            return new Iterator<>()
            {
                private final float[] scores = new float[BATCH];
                private int count;
                private int next;

                @Override
                public boolean hasNext()
                {
                    if (next < count) {
                        return true;
                    }
                    if (!rows.hasNext()) {
                        return false;
                    }
                    buffer.clear();
                    count = 0;
                    next = 0;
                    while (count < BATCH && rows.hasNext()) {
                        Row row = rows.next();
                        buffer.put((float) row.getDouble(0)).put((float) row.getDouble(1)).put((float) row.getDouble(2)).put((float) row.getDouble(3));
                        count++;
                    }
                    buffer.flip();
                    try (OnnxTensor input = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), buffer, new long[] {count, 4});
                            OrtSession.Result result = session.run(Map.of("x", input))) {
                        ((OnnxTensor) result.get(0)).getFloatBuffer().get(scores, 0, count);
                    }
                    catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                    return true;
                }

                @Override
                public Double next()
                {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return (double) scores[next++];
                }
            };
        }
    }
}
