package io.onyxml.spark;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.onyxml.training.Algorithm;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainedModelRegistration;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.TrainingRun;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTableBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * {@code Onyx.predict} on a local[2] Spark session over a local model store, against the models' plain-Java
 * references.
 */
@TestInstance(PER_CLASS)
class TestOnyxPredict
{
    private Path storeDirectory;
    private ModelStore store;
    private SparkSession spark;

    @BeforeAll
    void start()
            throws Exception
    {
        storeDirectory = Files.createTempDirectory("onyx-spark-store-");
        store = ModelStore.open(ModelStoreConfig.local(storeDirectory));
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.builder().featureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width")).build());
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("onyx-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.onyx.model-store", storeDirectory.toString())
                .config("spark.onyx.device", "cpu")
                .config("spark.onyx.batch-size", "7")
                .getOrCreate();
    }

    @AfterAll
    void stop()
            throws Exception
    {
        spark.stop();
        store.close();
        deleteRecursively(storeDirectory, ALLOW_INSECURE);
    }

    @Test
    void appendsTheResultColumnsBindingByName()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("d", DataTypes.DoubleType, true),
                DataTypes.createStructField("c", DataTypes.DoubleType, true),
                DataTypes.createStructField("b", DataTypes.DoubleType, true),
                DataTypes.createStructField("a", DataTypes.DoubleType, true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(RowFactory.create(i, i * 0.5, i % 3 * 1.0, i == 13 ? null : -i * 0.25, 2.0));
        }
        Dataset<Row> scored = Onyx.predict(spark.createDataFrame(rows, schema).repartition(3), "linear");
        assertThat(scored.schema().fieldNames()).containsExactly("id", "d", "c", "b", "a", "prediction");
        for (Row row : scored.collectAsList()) {
            int i = row.getInt(0);
            if (i == 13) {
                assertThat(row.isNullAt(5)).isTrue();
                continue;
            }
            assertThat(row.getDouble(5)).isCloseTo(TestModels.linearReference(2.0, -i * 0.25, i % 3 * 1.0, i * 0.5), within(1e-4));
        }
    }

    @Test
    void classifiersGiveLabelsAndProbabilities()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("sepal_length", DataTypes.DoubleType, false),
                DataTypes.createStructField("sepal_width", DataTypes.DoubleType, false),
                DataTypes.createStructField("petal_length", DataTypes.DoubleType, false),
                DataTypes.createStructField("petal_width", DataTypes.DoubleType, false)));
        List<Row> rows = List.of(RowFactory.create(5.1, 3.5, 1.4, 0.2), RowFactory.create(6.7, 3.0, 5.2, 2.3));
        List<Row> scored = Onyx.predict(spark.createDataFrame(rows, schema), "iris").collectAsList();
        for (Row row : scored) {
            double[] x = {row.getDouble(0), row.getDouble(1), row.getDouble(2), row.getDouble(3)};
            assertThat(row.getString(4)).isEqualTo(TestModels.classifierLabel(x));
            Map<String, Double> probabilities = row.getJavaMap(5);
            double[] expected = TestModels.classifierProbabilities(x);
            for (int k = 0; k < expected.length; k++) {
                assertThat(probabilities.get(TestModels.CLASSIFIER_LABELS.get(k))).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    @Test
    void aModelTrainedByTheCoreScoresAsItsCoefficientsSay()
    {
        // what train_model registers from Trino: here trained in-process and scored by Spark
        int count = 40;
        double[] a = new double[count];
        String[] c = new String[count];
        double[] y = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = i;
            c[i] = i % 2 == 0 ? "x" : "y";
            y[i] = 3 * i + 1 + (i % 2 == 0 ? 0 : 4);
        }
        TrainingTableBuilder builder = new TrainingTableBuilder("spark_trained", List.of(new TrainingColumn("a", ScalarType.DOUBLE), new TrainingColumn("c", ScalarType.VARCHAR)),
                Optional.of(new TrainingColumn("y", ScalarType.DOUBLE)), LabelRole.NUMBERS, TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.of(new DoubleColumn(a, null), new StringColumn(c)), Optional.of(new DoubleColumn(y, null)));
        TrainingOptions options = TrainingOptions.parse(Algorithm.LINEAR_REGRESSION, "");
        TrainedModel model = new TrainingRun("spark_trained", options, builder.build(), TrainingLimits.DEFAULTS, Ticker.systemTicker()).run();
        ModelManifest manifest = store.register("spark_trained", ModelSource.of(model.onnx()), TrainedModelRegistration.options(model, options, Optional.of("y"), List.of("double", "varchar"), Map.of()));
        assertThat(manifest.handlesMissingValues()).isTrue();

        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("c", DataTypes.StringType, true)));
        List<Row> rows = List.of(RowFactory.create(10.0, "y"), RowFactory.create(null, "x"), RowFactory.create(2.0, null));
        List<Row> scored = Onyx.predict(spark.createDataFrame(rows, schema), "spark_trained").collectAsList();
        assertThat(scored.get(0).getDouble(2)).isCloseTo(3 * 10 + 1 + 4, within(1e-9));
        // NULL a is the training mean (19.5); NULL c is the category '' unseen in training: no slot, as the reference category x
        assertThat(scored.get(1).getDouble(2)).isCloseTo(3 * 19.5 + 1, within(1e-9));
        assertThat(scored.get(2).getDouble(2)).isCloseTo(3 * 2 + 1, within(1e-9));
    }

    @Test
    void evaluateMergesThePartitionsMetrics()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, false),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("c", DataTypes.DoubleType, false),
                DataTypes.createStructField("d", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, true)));
        List<Row> rows = new ArrayList<>();
        double squaredErrors = 0;
        double sum = 0;
        double squares = 0;
        int counted = 0;
        for (int i = 0; i < 200; i++) {
            double[] x = {Math.sin(i), Math.cos(i), i % 5, i * 0.01};
            Double y = i == 17 ? null : TestModels.linearReference(x) + Math.sin(i * 7.3);
            rows.add(RowFactory.create(x[0], x[1], x[2], x[3], y));
            if (y != null) {
                double error = y - TestModels.linearReference(x);
                squaredErrors += error * error;
                sum += y;
                squares += y * y;
                counted++;
            }
        }
        double mean = sum / counted;
        double r2 = 1 - squaredErrors / (squares - counted * mean * mean);
        Row result = Onyx.evaluate(spark.createDataFrame(rows, schema).repartition(4), "linear", "y").collectAsList().get(0);
        assertThat(result.getLong(0)).isEqualTo(199);
        Map<String, Double> metrics = result.getJavaMap(1);
        // the model computes in float: agreement to float precision
        assertThat(metrics.get("rmse")).isCloseTo(Math.sqrt(squaredErrors / counted), within(1e-4));
        assertThat(metrics.get("r2")).isCloseTo(r2, within(1e-5));

        StructType iris = DataTypes.createStructType(List.of(
                DataTypes.createStructField("sepal_length", DataTypes.DoubleType, false),
                DataTypes.createStructField("sepal_width", DataTypes.DoubleType, false),
                DataTypes.createStructField("petal_length", DataTypes.DoubleType, false),
                DataTypes.createStructField("petal_width", DataTypes.DoubleType, false),
                DataTypes.createStructField("species", DataTypes.StringType, false)));
        List<Row> flowers = List.of(
                RowFactory.create(5.1, 3.5, 1.4, 0.2, TestModels.classifierLabel(5.1, 3.5, 1.4, 0.2)),
                RowFactory.create(6.7, 3.0, 5.2, 2.3, TestModels.classifierLabel(6.7, 3.0, 5.2, 2.3)),
                RowFactory.create(6.7, 3.0, 5.2, 2.3, "setosa"),
                RowFactory.create(5.9, 3.0, 4.2, 1.5, TestModels.classifierLabel(5.9, 3.0, 4.2, 1.5)));
        long wrong = TestModels.classifierLabel(6.7, 3.0, 5.2, 2.3).equals("setosa") ? 0 : 1;
        Map<String, Double> accuracy = Onyx.evaluate(spark.createDataFrame(flowers, iris).repartition(2), "iris", "species").collectAsList().get(0).getJavaMap(1);
        assertThat(accuracy.get("accuracy")).isEqualTo((4.0 - wrong) / 4);
        assertThatThrownBy(() -> Onyx.evaluate(spark.createDataFrame(flowers, iris), "iris", "nope"))
                .hasMessage("The label column 'nope' is not a column of the DataFrame; its columns are: sepal_length, sepal_width, petal_length, petal_width, species");
    }

    @Test
    void trainModelDistributesLinearRegressionAndEqualsTheCoreModel()
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
        builder.append(ImmutableList.of(new DoubleColumn(a, null), new DoubleColumn(b, null), new StringColumn(c), new io.onyxml.inference.batch.BooleanColumn(flag, null)), Optional.of(new DoubleColumn(y, null)));
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

        assertThatThrownBy(() -> Onyx.trainModel(spark.createDataFrame(rows, schema), "spark_logistic", "y", "kmeans", ""))
                .hasMessage("kmeans is not distributed in Spark yet; this build trains linear_regression and logistic_regression (train the others in Trino)");
    }

    @Test
    void trainModelDistributesLogisticRegressionAndEqualsTheCoreModel()
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
    void errorsNameTheModelAndTheColumns()
    {
        StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("a", DataTypes.DoubleType, true)));
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(1.0)), schema);
        assertThatThrownBy(() -> Onyx.predict(frame, "nope")).hasMessageContaining("Model 'nope' does not exist");
        assertThatThrownBy(() -> Onyx.predict(frame, "linear")).hasMessageStartingWith("Model linear/1 needs columns named a, b, c, d");
    }
}
