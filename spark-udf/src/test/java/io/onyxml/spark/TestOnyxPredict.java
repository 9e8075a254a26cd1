package io.onyxml.spark;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code Onyx.predict} and {@code Onyx.evaluate} on a local[2] Spark session over a local model store, against the
 * models' plain-Java references.
 */
class TestOnyxPredict
        extends OnyxSparkTestBase
{
    @BeforeAll
    void registerModels()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.builder().featureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width")).build());
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
    void everyEvaluatorScoresAlike()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, false),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("c", DataTypes.DoubleType, false),
                DataTypes.createStructField("d", DataTypes.DoubleType, false)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(i * 0.5, -i * 0.25, i % 7 * 1.0, 3.0));
        }
        Dataset<Row> input = spark.createDataFrame(rows, schema).repartition(2);
        try {
            for (String evaluator : List.of("onnxruntime", "compiled", "auto")) {
                spark.conf().set("spark.onyx.evaluator", evaluator);
                for (Row row : Onyx.predict(input, "linear").collectAsList()) {
                    assertThat(row.getDouble(4)).as(evaluator)
                            .isCloseTo(TestModels.linearReference(row.getDouble(0), row.getDouble(1), row.getDouble(2), row.getDouble(3)), within(1e-4));
                }
            }
            spark.conf().set("spark.onyx.evaluator", "fastest");
            assertThatThrownBy(() -> Onyx.predict(input, "linear"))
                    .hasMessageContaining("spark.onyx.evaluator must be auto, compiled or onnxruntime, not: fastest");
        }
        finally {
            spark.conf().unset("spark.onyx.evaluator");
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
    void errorsNameTheModelAndTheColumns()
    {
        StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("a", DataTypes.DoubleType, true)));
        Dataset<Row> frame = spark.createDataFrame(List.of(RowFactory.create(1.0)), schema);
        assertThatThrownBy(() -> Onyx.predict(frame, "nope")).hasMessageContaining("Model 'nope' does not exist");
        assertThatThrownBy(() -> Onyx.predict(frame, "linear")).hasMessageStartingWith("Model linear/1 needs columns named a, b, c, d");
    }
}
