package io.onyxml.trino.benchmark;

import io.airlift.units.DataSize;
import io.onyxml.trino.OnyxQueryRunner;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.QueryRunner.MaterializedResultWithPlan;
import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Training time on {@code tpch.sf1.lineitem} (6,001,215 rows; features quantity, discount, tax, linenumber; label
 * extendedprice), in one run: {@code linear_regression} through {@code train_model} against a plain SQL aggregation
 * over the same five columns (their sums and the count), and {@code gradient_boosted_trees} (100 trees of depth 6)
 * through {@code train_model} against XGBoost4J training on the same float matrix in the same JVM with the same
 * parameters. The columns are first copied into the memory connector, so the queries measure training, not TPC-H
 * data generation. Linear runs are the best of three, tree runs one each; the training queries' peak memory is Trino's
 * accounted user memory (its buffered input pages), and the Onyx copy of the columns (8 bytes per value) comes on top.
 * <pre>
 * ./mvnw -q -pl trino-plugin -am test-compile exec:exec@trino-train-benchmark   # -Dbenchmark.args="0.1" for sf0.1
 * </pre>
 */
public final class TrainBenchmark
{
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, UTF_8);
    private static final String FEATURES = "quantity, discount, tax, CAST(linenumber AS double) AS linenumber";

    private TrainBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        String schema = scale == 1.0 ? "sf1" : "\"sf" + args[0] + "\"";
        Path storeDirectory = Files.createTempDirectory("onyx-train-benchmark-");
        try (DistributedQueryRunner trino = OnyxQueryRunner.builder(storeDirectory)
                .setWorkerCount(0)
                .addExtraProperty("query.max-memory", "4GB")
                .addExtraProperty("query.max-memory-per-node", "4GB")
                .build()) {
            trino.createCatalog("bench", "memory", Map.of("memory.max-data-per-node", "2GB"));
            trino.execute("CREATE TABLE bench.default.lineitem AS SELECT " + FEATURES + ", extendedprice FROM tpch." + schema + ".lineitem");
            long rows = (Long) trino.execute("SELECT count(*) FROM bench.default.lineitem").getOnlyValue();
            OUT.printf("%n%,d rows of tpch.%s.lineitem, %s cores%n", rows, schema, Runtime.getRuntime().availableProcessors());

            double aggregation = best(trino, "SELECT sum(quantity), sum(discount), sum(tax), sum(linenumber), sum(extendedprice), count(*) FROM bench.default.lineitem", 3);
            double normalEquations = best(trino, """
                    SELECT sum(quantity * quantity), sum(quantity * discount), sum(quantity * tax), sum(quantity * linenumber), sum(quantity * extendedprice),
                           sum(discount * discount), sum(discount * tax), sum(discount * linenumber), sum(discount * extendedprice),
                           sum(tax * tax), sum(tax * linenumber), sum(tax * extendedprice), sum(linenumber * linenumber), sum(linenumber * extendedprice),
                           sum(quantity), sum(discount), sum(tax), sum(linenumber), sum(extendedprice), count(*)
                    FROM bench.default.lineitem""", 3);
            double linear = best(trino, "SELECT model, training_seconds, metrics['r2'] FROM TABLE(ml.system.train_model(input => TABLE(bench.default.lineitem), model => 'linear', label => 'extendedprice', algorithm => 'linear_regression'))", 3);
            if (args.length > 1 && args[1].equals("linear")) {
                OUT.printf("aggregation %.2fs, normal equations %.2fs, linear %.2fs%n", aggregation, normalEquations, linear);
                return;
            }
            double trees = best(trino, "SELECT model, training_seconds, metrics['r2'] FROM TABLE(ml.system.train_model(input => TABLE(bench.default.lineitem), model => 'trees', label => 'extendedprice', algorithm => 'gradient_boosted_trees', options => 'num_trees=100, max_depth=6'))", 1);

            // the same rows as the tpch connector generates them
            float[] matrix = new float[Math.toIntExact(rows) * 4];
            float[] label = new float[Math.toIntExact(rows)];
            int row = 0;
            for (LineItem item : new LineItemGenerator(scale, 1, 1)) {
                matrix[row * 4] = (float) item.quantity();
                matrix[row * 4 + 1] = (float) item.discount();
                matrix[row * 4 + 2] = (float) item.tax();
                matrix[row * 4 + 3] = item.lineNumber();
                label[row] = (float) item.extendedPrice();
                row++;
            }
            double xgboost = xgboost(matrix, label, Math.toIntExact(rows));

            OUT.println();
            OUT.printf("plain SQL aggregation (5 sums, count)        %8.2fs%n", aggregation);
            OUT.printf("SQL normal equations (19 sums of products)   %8.2fs%n", normalEquations);
            OUT.printf("train_model linear_regression                %8.2fs   %.2f x the aggregation, %.2f x the normal equations in SQL%n", linear, linear / aggregation, linear / normalEquations);
            OUT.printf("XGBoost4J alone, 100 trees depth 6           %8.2fs%n", xgboost);
            OUT.printf("train_model gradient_boosted_trees           %8.2fs   %.2f x XGBoost4J alone%n", trees, trees / xgboost);
        }
        finally {
            deleteRecursively(storeDirectory, ALLOW_INSECURE);
        }
    }

    private static double best(DistributedQueryRunner trino, String sql, int runs)
    {
        long best = Long.MAX_VALUE;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            MaterializedResultWithPlan result = trino.executeWithPlan(trino.getDefaultSession(), sql);
            long elapsed = System.nanoTime() - start;
            best = Math.min(best, elapsed);
            DataSize peakMemory = trino.getCoordinator().getQueryManager().getFullQueryInfo(result.queryId()).getQueryStats().getPeakUserMemoryReservation();
            OUT.printf("%.3fs  peak memory %s  %s%n  -> %s%n", elapsed / 1e9, peakMemory.succinct(), sql.replaceAll("\\s+", " "), result.result().getMaterializedRows());
        }
        return best / 1e9;
    }

    /**
     * XGBoost4J on the same rows with the parameters train_model passes (hist, CPU, depth 6, eta 0.3, seed 42).
     */
    private static double xgboost(float[] matrix, float[] label, int rows)
            throws Exception
    {
        long start = System.nanoTime();
        DMatrix training = new DMatrix(matrix, rows, 4, Float.NaN);
        training.setLabel(label);
        double building = (System.nanoTime() - start) / 1e9;
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("objective", "reg:squarederror");
        parameters.put("tree_method", "hist");
        parameters.put("device", "cpu");
        parameters.put("max_depth", 6);
        parameters.put("eta", 0.3);
        parameters.put("subsample", 1.0);
        parameters.put("colsample_bytree", 1.0);
        parameters.put("min_child_weight", 1.0);
        parameters.put("lambda", 1.0);
        parameters.put("seed", 42L);
        parameters.put("verbosity", 0);
        start = System.nanoTime();
        Booster booster = XGBoost.train(training, parameters, 100, new HashMap<>(), null, null);
        double seconds = (System.nanoTime() - start) / 1e9;
        OUT.printf("%.3fs  XGBoost4J train (DMatrix built in %.3fs)%n", seconds, building);
        booster.dispose();
        training.dispose();
        return seconds + building;
    }
}
