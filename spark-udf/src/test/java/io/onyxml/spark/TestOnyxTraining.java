package io.onyxml.spark;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxException;
import io.onyxml.store.StoreLease;
import io.onyxml.training.Algorithm;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainedModelRegistration;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.TrainingRun;
import io.onyxml.training.TrainingSlots;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTableBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.CONCURRENCY_LIMIT_EXCEEDED;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code Onyx.trainModel} on a local[2] Spark session: each algorithm against the training module's own training
 * (what Trino's {@code train_model} runs) on the same rows given in another order and partitioning, and against
 * values the tests compute themselves.
 */
class TestOnyxTraining
        extends OnyxSparkTestBase
{
    @Test
    void linearRegressionIsDistributedAndEqualsTheCoreModel()
            throws Exception
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("c", DataTypes.StringType, true),
                DataTypes.createStructField("flag", DataTypes.BooleanType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, true)));
        int count = 300;
        List<Row> rows = new ArrayList<>();
        double[] a = new double[count];
        double[] b = new double[count];
        String[] c = new String[count];
        boolean[] flag = new boolean[count];
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = i;
            b[i] = Math.cos(i) * 10;
            c[i] = i % 5 == 0 ? null : i % 3 == 0 ? "x" : "y";
            flag[i] = i % 4 == 0;
            y[i] = 3 * a[i] - 2 * b[i] + 1 + ("y".equals(c[i]) ? 4 : 0) + (flag[i] ? 0.5 : 0);
            rows.add(RowFactory.create(a[i], b[i], c[i], flag[i], y[i]));
        }
        rows.add(RowFactory.create(1.0, 1.0, "x", false, null));
        Row result = Onyx.trainModel(spark.createDataFrame(rows, schema).repartition(3), "spark_linear", "y", "linear_regression", "").collectAsList().get(0);
        assertThat(result.getString(0)).isEqualTo("spark_linear/1");
        assertThat(result.getLong(2)).isEqualTo(count);
        assertThat(result.<String, Double>getJavaMap(5).get("r2")).isCloseTo(1, within(1e-12));

        // the same rows trained by the core, as Trino's train_model trains them: equal coefficients
        TrainingTableBuilder builder = new TrainingTableBuilder("core_linear",
                List.of(new TrainingColumn("a", ScalarType.DOUBLE), new TrainingColumn("b", ScalarType.DOUBLE), new TrainingColumn("c", ScalarType.VARCHAR), new TrainingColumn("flag", ScalarType.BOOLEAN)),
                Optional.of(new TrainingColumn("y", ScalarType.DOUBLE)), LabelRole.NUMBERS, TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.of(new DoubleColumn(a, null), new DoubleColumn(b, null), new StringColumn(c), new BooleanColumn(flag, null)), Optional.of(new DoubleColumn(y, null)));
        TrainedModel core = new TrainingRun("core_linear", TrainingOptions.parse(Algorithm.LINEAR_REGRESSION, ""), builder.build(), TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
        Map<String, Double> sparkCoefficients = coefficients(store.resolve("spark_linear").training().get("coefficients"));
        Map<String, Double> coreCoefficients = coefficients(core.description().get("coefficients"));
        assertThat(sparkCoefficients.keySet()).isEqualTo(coreCoefficients.keySet());
        coreCoefficients.forEach((key, value) -> assertThat(sparkCoefficients.get(key)).isCloseTo(value, within(1e-6 * Math.max(1, Math.abs(value)))));
        assertThat(sparkCoefficients.get("a")).isCloseTo(3, within(1e-9));
        assertThat(sparkCoefficients.get("c=y")).isCloseTo(4, within(1e-9));
        assertThat(sparkCoefficients.get("flag")).isCloseTo(0.5, within(1e-9));
        assertThat(store.resolve("spark_linear").training()).containsEntry("algorithm", "linear_regression").containsKey("preprocessing").containsKey("spark_application");

        // and the Spark-trained version scores in Spark like the formula
        StructType features = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("c", DataTypes.StringType, true),
                DataTypes.createStructField("flag", DataTypes.BooleanType, false)));
        Row scored = Onyx.predict(spark.createDataFrame(List.of(RowFactory.create(10.0, 2.0, "y", true)), features), "spark_linear").collectAsList().get(0);
        assertThat(scored.getDouble(4)).isCloseTo(3 * 10 - 2 * 2 + 1 + 4 + 0.5, within(1e-9));
    }

    @Test
    void logisticRegressionIsDistributedAndEqualsTheCoreModel()
            throws Exception
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("c", DataTypes.StringType, true),
                DataTypes.createStructField("level", DataTypes.StringType, true)));
        int count = 400;
        double[] a = new double[count];
        String[] c = new String[count];
        String[] level = new String[count];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            a[i] = Math.sin(i * 0.7) * 3;
            c[i] = new String[] {"red", "green", "blue"}[i % 3];
            double score = a[i] + ("red".equals(c[i]) ? 1.5 : 0) + Math.sin(i * 5.1);
            level[i] = score > 1 ? "high" : score > -1 ? "mid" : "low";
            rows.add(RowFactory.create(a[i], c[i], level[i]));
        }
        Row result = Onyx.trainModel(spark.createDataFrame(rows, schema).repartition(3), "spark_levels", "level", "logistic_regression", "l2=0.5").collectAsList().get(0);
        assertThat(result.getString(0)).isEqualTo("spark_levels/1");
        assertThat(store.resolve("spark_levels").classLabels()).containsExactly("high", "low", "mid");

        TrainingTableBuilder builder = new TrainingTableBuilder("core_levels", List.of(new TrainingColumn("a", ScalarType.DOUBLE), new TrainingColumn("c", ScalarType.VARCHAR)),
                Optional.of(new TrainingColumn("level", ScalarType.VARCHAR)), LabelRole.CLASSES, TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.of(new DoubleColumn(a, null), new StringColumn(c)), Optional.of(new StringColumn(level)));
        TrainedModel core = new TrainingRun("core_levels", TrainingOptions.parse(Algorithm.LOGISTIC_REGRESSION, "l2=0.5"), builder.build(), TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
        store.register("core_levels", ModelSource.of(core.onnx()), TrainedModelRegistration.options(core, TrainingOptions.parse(Algorithm.LOGISTIC_REGRESSION, "l2=0.5"), Optional.of("level"), List.of("double", "varchar"), Map.of()));
        assertThat(result.<String, Double>getJavaMap(5).get("accuracy")).isCloseTo(core.metrics().get("accuracy"), within(1e-12));

        // the same probabilities from both engines' models (the multinomial intercepts are free up to a common
        // constant, so compare what the models predict, not their intercepts)
        Dataset<Row> features = spark.createDataFrame(rows, schema).select("a", "c");
        List<Row> fromSpark = Onyx.predict(features, "spark_levels").collectAsList();
        List<Row> fromCore = Onyx.predict(features, "core_levels").collectAsList();
        for (int i = 0; i < count; i++) {
            Map<String, Double> sparkProbabilities = fromSpark.get(i).getJavaMap(3);
            Map<String, Double> coreProbabilities = fromCore.get(i).getJavaMap(3);
            assertThat(fromSpark.get(i).getString(2)).isEqualTo(fromCore.get(i).getString(2));
            coreProbabilities.forEach((label, probability) -> assertThat(sparkProbabilities.get(label)).isCloseTo(probability, within(1e-6)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> coefficients(String json)
            throws Exception
    {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
    }

    @Test
    void kMeansGivesTheCoreClustersWhateverTheOrderAndPartitioning()
    {
        // overlapping clouds, so that the seeding and the iterations decide the clusters
        int count = 500;
        double[] x = new double[count];
        double[] y = new double[count];
        String[] kind = new String[count];
        for (int i = 0; i < count; i++) {
            x[i] = Math.sin(i * 0.37) * 4 + (i % 7);
            y[i] = Math.cos(i * 1.91) * 3 - (i % 5);
            kind[i] = i % 11 == 0 ? null : "k" + (i % 3);
        }
        String options = "k=5, n_init=2, seed=7, test_fraction=0.2";
        Row result = Onyx.trainModel(shuffled(clusterRows(x, y, kind), 4), "spark_clusters", null, "kmeans", options).collectAsList().get(0);
        TrainedModel core = trainAndRegister("core_clusters", Algorithm.KMEANS, options,
                List.of(new TrainingColumn("x", ScalarType.DOUBLE), new TrainingColumn("y", ScalarType.DOUBLE), new TrainingColumn("kind", ScalarType.VARCHAR)),
                List.of(new DoubleColumn(x, null), new DoubleColumn(y, null), new StringColumn(kind)),
                Optional.empty(),
                Optional.empty());

        assertThat(result.getString(0)).isEqualTo("spark_clusters/1");
        assertThat(result.getLong(2)).isEqualTo(core.trainingRows());
        assertThat(result.<Long>getList(7)).isEqualTo(core.clusterSizes().orElseThrow());
        assertThat(result.<Long>getList(7).stream().mapToLong(Long::longValue).sum()).isEqualTo(core.trainingRows());
        assertRelative(result.<String, Double>getJavaMap(5).get("inertia"), core.metrics().get("inertia"));
        assertRelative(result.<String, Double>getJavaMap(6).get("inertia"), core.testMetrics().orElseThrow().get("inertia"));

        // every row lands in the same cluster with either engine's model
        Dataset<Row> withIds = clusterRows(x, y, kind).withColumn("id", org.apache.spark.sql.functions.monotonically_increasing_id());
        Map<Long, Long> fromSpark = clusters(Onyx.predict(withIds, "spark_clusters"));
        Map<Long, Long> fromCore = clusters(Onyx.predict(withIds, "core_clusters"));
        assertThat(fromSpark).hasSize(count).isEqualTo(fromCore);
    }

    @Test
    void kMeansFindsSeparatedBlobsAtTheirMeans()
            throws Exception
    {
        // four tight blobs far apart: k-means++ spreads the centres over the four, Lloyd's iterations end at their means
        double[][] blobs = {{-50, -50}, {50, -50}, {-50, 50}, {50, 50}};
        int count = 400;
        double[] x = new double[count];
        double[] y = new double[count];
        double[][] sums = new double[4][2];
        for (int i = 0; i < count; i++) {
            x[i] = blobs[i % 4][0] + Math.sin(i * 3.3);
            y[i] = blobs[i % 4][1] + Math.cos(i * 7.1);
            sums[i % 4][0] += x[i];
            sums[i % 4][1] += y[i];
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("x", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create(x[i], y[i]));
        }
        Row result = Onyx.trainModel(spark.createDataFrame(rows, schema).repartition(3), "blobs", null, "kmeans", "k=4").collectAsList().get(0);
        assertThat(result.<Long>getList(7)).containsExactly(100L, 100L, 100L, 100L);
        assertThat(result.isNullAt(6)).isTrue();

        @SuppressWarnings("unchecked")
        List<List<Double>> centres = (List<List<Double>>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(store.resolve("blobs").training().get("centres"), Map.class).get("centres");
        for (double[] sum : sums) {
            assertThat(centres).anySatisfy(centre -> {
                assertThat(centre.get(0)).isCloseTo(sum[0] / 100, within(1e-9));
                assertThat(centre.get(1)).isCloseTo(sum[1] / 100, within(1e-9));
            });
        }
        // each blob is one cluster, and different blobs different clusters
        List<Row> scored = Onyx.predict(spark.createDataFrame(rows, schema), "blobs").collectAsList();
        Map<Integer, Long> clusterOfBlob = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long cluster = scored.get(i).getLong(2);
            assertThat(clusterOfBlob.computeIfAbsent(i % 4, blob -> cluster)).isEqualTo(cluster);
        }
        assertThat(clusterOfBlob.values()).doesNotHaveDuplicates();
    }

    @Test
    void gradientBoostedTreesTrainOnTheDriverAsTheCoreTrainsThem()
    {
        int count = 600;
        Double[] a = new Double[count];
        double[] b = new double[count];
        String[] c = new String[count];
        double[] y = new double[count];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            a[i] = i % 6 == 0 ? null : Math.sin(i * 0.37);
            b[i] = Math.cos(i * 1.3) * 10;
            c[i] = i % 9 == 0 ? null : new String[] {"red", "green", "blue"}[i % 3];
            y[i] = (a[i] == null ? 4 : 3 * a[i]) - 0.2 * b[i] + ("red".equals(c[i]) ? 2 : 0) + Math.sin(i * 7.7) * 0.3;
            rows.add(RowFactory.create(a[i], b[i], c[i], y[i]));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("c", DataTypes.StringType, true),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
        String options = "num_trees=15, max_depth=4, subsample=0.8, test_fraction=0.25";
        List<Row> reversed = new ArrayList<>(rows);
        Collections.reverse(reversed);
        Row result = Onyx.trainModel(spark.createDataFrame(reversed, schema).repartition(4), "spark_trees", "y", "gradient_boosted_trees", options).collectAsList().get(0);
        double[] aValues = new double[count];
        boolean[] aNulls = new boolean[count];
        for (int i = 0; i < count; i++) {
            aNulls[i] = a[i] == null;
            aValues[i] = a[i] == null ? 0 : a[i];
        }
        TrainedModel core = trainAndRegister("core_trees", Algorithm.GRADIENT_BOOSTED_TREES, options,
                List.of(new TrainingColumn("a", ScalarType.DOUBLE), new TrainingColumn("b", ScalarType.DOUBLE), new TrainingColumn("c", ScalarType.VARCHAR)),
                List.of(new DoubleColumn(aValues, aNulls), new DoubleColumn(b, null), new StringColumn(c)),
                Optional.of(new TrainingColumn("y", ScalarType.DOUBLE)),
                Optional.of(new DoubleColumn(y, null)));

        // the same rows in the same (hash) order give XGBoost the same matrix: the same trees and metrics
        assertThat(result.getLong(2)).isEqualTo(core.trainingRows());
        assertThat(result.<String, Double>getJavaMap(5)).isEqualTo(core.metrics());
        assertThat(result.<String, Double>getJavaMap(6)).isEqualTo(core.testMetrics().orElseThrow());
        assertThat(result.<String, Double>getJavaMap(5).get("r2")).isGreaterThan(0.9);
        Dataset<Row> features = spark.createDataFrame(rows, schema).drop("y");
        List<Row> fromSpark = Onyx.predict(features, "spark_trees").collectAsList();
        List<Row> fromCore = Onyx.predict(features, "core_trees").collectAsList();
        for (int i = 0; i < count; i++) {
            assertThat(fromSpark.get(i).getDouble(3)).isEqualTo(fromCore.get(i).getDouble(3));
        }
        assertThat(store.resolve("spark_trees").training()).containsEntry("algorithm", "gradient_boosted_trees").containsKey("spark_application");

        // the driver collects at most spark.onyx.training.max-rows rows: more is an error before any is collected
        spark.conf().set("spark.onyx.training.max-rows", "100");
        try {
            assertThatThrownBy(() -> Onyx.trainModel(spark.createDataFrame(rows, schema), "too_many", "y", "gradient_boosted_trees", ""))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(TRAINING_LIMIT_EXCEEDED))
                    .hasMessage("Training model 'too_many' reads more than 100 rows, the limit of rows per model; change it with spark.conf.set(\"spark.onyx.training.max-rows\", ...) or --conf spark.onyx.training.max-rows=...");
        }
        finally {
            spark.conf().unset("spark.onyx.training.max-rows");
        }
        assertThatThrownBy(() -> store.resolve("too_many")).hasMessage("Model 'too_many' does not exist");
    }

    @Test
    void trainingsWaitForASlotOfTheCluster()
            throws Exception
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
        List<Row> rows = List.of(RowFactory.create(1.0, 3.0), RowFactory.create(2.0, 5.0), RowFactory.create(3.0, 7.0));
        // a training elsewhere (a Trino node, another application) holds the only slot of the store
        StoreLease elsewhere = store.tryLease(TrainingSlots.POOL, 1, "a training elsewhere", Duration.ofMinutes(1)).orElseThrow();
        spark.conf().set("spark.onyx.training.max-concurrent-per-cluster", "1");
        spark.conf().set("spark.onyx.training.max-slot-wait", "1s");
        try {
            assertThatThrownBy(() -> Onyx.trainModel(spark.createDataFrame(rows, schema), "waiting", "y", "linear_regression", ""))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(CONCURRENCY_LIMIT_EXCEEDED))
                    .hasMessageMatching("Training model 'waiting' waited [12]s for a training slot: at most 2 trainings run at once on each node \\(spark.onyx.training.max-concurrent-per-node\\) and at most 1 in the cluster \\(spark.onyx.training.max-concurrent-per-cluster\\); try again later, or raise the limits or spark.onyx.training.max-slot-wait");
            assertThatThrownBy(() -> store.resolve("waiting")).hasMessage("Model 'waiting' does not exist");

            elsewhere.close();
            Row trained = Onyx.trainModel(spark.createDataFrame(rows, schema), "waiting", "y", "linear_regression", "").collectAsList().get(0);
            assertThat(trained.getString(0)).isEqualTo("waiting/1");
            // the slot was returned
            assertThat(store.tryLease(TrainingSlots.POOL, 1, "test", Duration.ofMinutes(1))).isPresent();
        }
        finally {
            spark.conf().unset("spark.onyx.training.max-concurrent-per-cluster");
            spark.conf().unset("spark.onyx.training.max-slot-wait");
        }
    }

    @Test
    void testFractionHoldsOutTheCoreRows()
    {
        int count = 400;
        double[] a = new double[count];
        double[] b = new double[count];
        double[] y = new double[count];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            a[i] = i * 0.1;
            b[i] = Math.cos(i) * 10;
            y[i] = 3 * a[i] - 2 * b[i] + 1 + Math.sin(i * 7.3);
            rows.add(RowFactory.create(a[i], b[i], y[i]));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, false),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
        String options = "test_fraction=0.3, seed=11";
        List<Row> reversed = new ArrayList<>(rows);
        Collections.reverse(reversed);
        Row result = Onyx.trainModel(spark.createDataFrame(reversed, schema).repartition(3), "spark_split", "y", "linear_regression", options).collectAsList().get(0);
        TrainedModel core = trainAndRegister("core_split", Algorithm.LINEAR_REGRESSION, options,
                List.of(new TrainingColumn("a", ScalarType.DOUBLE), new TrainingColumn("b", ScalarType.DOUBLE)),
                List.of(new DoubleColumn(a, null), new DoubleColumn(b, null)),
                Optional.of(new TrainingColumn("y", ScalarType.DOUBLE)),
                Optional.of(new DoubleColumn(y, null)));

        // the same rows held out: as many training rows, and the same test metrics
        assertThat(core.testRows()).isBetween(90L, 150L);
        assertThat(result.getLong(2)).isEqualTo(core.trainingRows());
        Map<String, Double> testMetrics = result.getJavaMap(6);
        assertThat(testMetrics.keySet()).isEqualTo(core.testMetrics().orElseThrow().keySet());
        testMetrics.forEach((name, value) -> assertRelative(value, core.testMetrics().orElseThrow().get(name)));
        result.<String, Double>getJavaMap(5).forEach((name, value) -> assertRelative(value, core.metrics().get(name)));
        // the noise is sin(7.3 i): uniform-like on [-1, 1], so the held-out rmse is about its deviation, 1/sqrt(2)
        assertThat(testMetrics.get("rmse")).isCloseTo(Math.sqrt(0.5), within(0.1));
        assertThat(result.isNullAt(7)).isTrue();
    }

    @Test
    void badInputIsAClearErrorAndRegistersNothing()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("x", DataTypes.DoubleType, true),
                DataTypes.createStructField("t", DataTypes.StringType, true),
                DataTypes.createStructField("y", DataTypes.DoubleType, true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(RowFactory.create(i * 1.0, "c" + (i % 3), i * 2.0));
        }
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        assertInvalid(() -> Onyx.trainModel(frame, "bad", "price", "linear_regression", null), INVALID_ARGUMENT)
                .hasMessage("The label column 'price' is not a column of the DataFrame; its columns are: x, t, y");
        assertInvalid(() -> Onyx.trainModel(frame, "bad", "t", "linear_regression", null), INVALID_ARGUMENT)
                .hasMessage("Label 't' has type string; linear_regression needs a numeric label (for classes use logistic_regression)");
        assertInvalid(() -> Onyx.trainModel(frame, "bad", null, "linear_regression", null), INVALID_ARGUMENT)
                .hasMessage("linear_regression needs a label: the label argument '<column>'");
        assertInvalid(() -> Onyx.trainModel(frame, "bad", "y", "kmeans", null), INVALID_ARGUMENT)
                .hasMessage("kmeans takes no label; leave out the label argument 'y'");
        assertInvalid(() -> Onyx.trainModel(frame.withColumn("d", org.apache.spark.sql.functions.current_date()), "bad", "y", "linear_regression", null), INVALID_ARGUMENT)
                .hasMessage("Column 'd' has type date, which cannot be a feature: use numbers, boolean or varchar (cast it, or leave it out with select(...))");
        assertInvalid(() -> Onyx.trainModel(frame, "bad", "y", "linear_regression", "depth=3"), INVALID_ARGUMENT)
                .hasMessage("Unknown option 'depth' for linear_regression: its options are l2 (default 0.0), standardize (default false), test_fraction (default 0.0), seed (default 42)");
        assertInvalid(() -> Onyx.trainModel(frame.withColumn("y", org.apache.spark.sql.functions.lit(null).cast("double")), "bad", "y", "linear_regression", null), INVALID_TRAINING_DATA)
                .hasMessage("Label 'y' is NULL in every one of the 50 input rows");
        assertInvalid(() -> Onyx.trainModel(frame.withColumn("x", org.apache.spark.sql.functions.expr("IF(y = 14, double('NaN'), x)")), "bad", "y", "linear_regression", null), INVALID_TRAINING_DATA)
                .hasMessage("Column 'x' holds NaN; training accepts finite numbers only: use NULL for a missing value");
        assertInvalid(() -> Onyx.trainModel(frame.withColumn("y", org.apache.spark.sql.functions.lit("same")), "bad", "y", "logistic_regression", null), INVALID_TRAINING_DATA)
                .hasMessage("Label 'y' has a single class ('same'); logistic_regression needs at least two classes");
        assertInvalid(() -> Onyx.trainModel(frame.drop("y"), "bad", null, "kmeans", "k=60"), INVALID_TRAINING_DATA)
                .hasMessage("Model 'bad' asks for k=60 clusters from 50 training rows; k-means needs at least k rows");
        assertThatThrownBy(() -> store.resolve("bad")).hasMessage("Model 'bad' does not exist");
    }

    private Dataset<Row> clusterRows(double[] x, double[] y, String[] kind)
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("x", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false),
                DataTypes.createStructField("kind", DataTypes.StringType, true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            rows.add(RowFactory.create(x[i], y[i], kind[i]));
        }
        return spark.createDataFrame(rows, schema);
    }

    /**
     * The rows in reverse order, spread over {@code partitions} partitions by a shuffle.
     */
    private static Dataset<Row> shuffled(Dataset<Row> rows, int partitions)
    {
        List<Row> reversed = new ArrayList<>(rows.collectAsList());
        Collections.reverse(reversed);
        return rows.sparkSession().createDataFrame(reversed, rows.schema()).repartition(partitions);
    }

    private static Map<Long, Long> clusters(Dataset<Row> scored)
    {
        Map<Long, Long> clusters = new HashMap<>();
        for (Row row : scored.select("id", "cluster").collectAsList()) {
            clusters.put(row.getLong(0), row.getLong(1));
        }
        return clusters;
    }

    /**
     * The same rows trained by the training module, as Trino's train_model trains them, registered in the store.
     */
    private TrainedModel trainAndRegister(String name, Algorithm algorithm, String optionsText, List<TrainingColumn> features, List<Column> columns, Optional<TrainingColumn> label, Optional<Column> labelColumn)
    {
        TrainingOptions options = TrainingOptions.parse(algorithm, optionsText);
        LabelRole role = label.map(column -> LabelRole.of(algorithm, column)).orElse(LabelRole.NONE);
        TrainingTableBuilder builder = new TrainingTableBuilder(name, features, label, role, TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.copyOf(columns), labelColumn);
        TrainedModel model = new TrainingRun(name, options, builder.build(), TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
        store.register(name, ModelSource.of(model.onnx()), TrainedModelRegistration.options(model, options, label.map(TrainingColumn::name), features.stream().map(feature -> feature.type().displayName()).toList(), Map.of()));
        return model;
    }

    private static void assertRelative(double actual, double expected)
    {
        assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable action, io.onyxml.store.OnyxErrorCode code)
    {
        return assertThatThrownBy(action).isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
    }
}
