package io.onyxml.spark;

import io.onyxml.spark.execution.BatchPredictExec;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The SQL functions in a local[2] session enabled by {@code spark.sql.extensions}: values against the test models'
 * plain-Java references, the batching operator in the plans (and how many model calls it made), one version per
 * query while an alias moves, and the errors.
 */
class TestOnyxSql
        extends OnyxSparkTestBase
{
    private static final int ROWS = 100;
    private static final int BATCH_SIZE = 7;

    @Override
    protected SparkSession.Builder configure(SparkSession.Builder builder)
    {
        return builder
                .config("spark.sql.extensions", OnyxExtensions.class.getName())
                .config("spark.onyx.change-delay", "0ms");
    }

    @BeforeAll
    void registerModelsAndRows()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.builder().featureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width")).build());
        store.register("mixed", ModelSource.of(TestModels.mixedColumns()), RegisterOptions.DEFAULTS);
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("a", DataTypes.DoubleType, true),
                DataTypes.createStructField("b", DataTypes.IntegerType, true),
                DataTypes.createStructField("c", DataTypes.createDecimalType(10, 2), true),
                DataTypes.createStructField("d", DataTypes.LongType, true),
                DataTypes.createStructField("city", DataTypes.StringType, true),
                DataTypes.createStructField("member", DataTypes.BooleanType, true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(i, a(i), i == 13 ? null : b(i), new java.math.BigDecimal(c(i)).setScale(2, java.math.RoundingMode.UNNECESSARY), (long) d(i),
                    i % 4 == 0 ? "paris" : i % 4 == 1 ? "lima" : i % 4 == 2 ? "oslo" : null, i % 3 == 0));
        }
        spark.createDataFrame(rows, schema).repartition(2).createOrReplaceTempView("t");
    }

    private static double a(int i)
    {
        return i * 0.5;
    }

    private static int b(int i)
    {
        return i % 7 - 3;
    }

    private static double c(int i)
    {
        return i % 10 * 0.25;
    }

    private static int d(int i)
    {
        return 100 - i;
    }

    private static double linear(int i)
    {
        return TestModels.linearReference(a(i), b(i), c(i), d(i));
    }

    @Test
    void predictInAProjectionIsBatched()
    {
        Dataset<Row> query = spark.sql("SELECT id, predict('linear', a, b, c, d) AS p FROM t");
        List<Row> result = query.collectAsList();
        assertThat(result).hasSize(ROWS);
        for (Row row : result) {
            int i = row.getInt(0);
            if (i == 13) {
                assertThat(row.isNullAt(1)).isTrue();
            }
            else {
                assertThat(row.getDouble(1)).isCloseTo(linear(i), within(1e-4));
            }
        }
        BatchPredictExec batch = batchOperator(query);
        // the batch keeps the one input column read above it besides the call
        assertThat(ScalaCollections.list(batch.output())).extracting(column -> column.name()).containsExactly("id", "predict");
        assertThat(batch.batchSize()).isEqualTo(BATCH_SIZE);
        // two partitions of 50 rows in batches of 7: 8 calls each, not one per row
        assertThat(batch.metrics().apply("modelCalls").value()).isEqualTo(16);
        assertThat(batch.metrics().apply("numOutputRows").value()).isEqualTo(ROWS);
    }

    @Test
    void predictInAFilterAndInAnAggregationWithGeneratedCode()
    {
        List<Row> filtered = spark.sql("SELECT id FROM t WHERE predict('linear', a, b, c, d) > 5 ORDER BY id").collectAsList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            if (i != 13 && linear(i) > 5) {
                expected.add(i);
            }
        }
        assertThat(filtered.stream().map(row -> row.getInt(0)).toList()).isEqualTo(expected);

        Dataset<Row> aggregated = spark.sql("SELECT count(*), sum(predict('linear', a, b, c, d)), max(predict('linear', a, b, c, d)) FROM t");
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ROWS; i++) {
            if (i != 13) {
                sum += linear(i);
                max = Math.max(max, linear(i));
            }
        }
        Row row = aggregated.collectAsList().get(0);
        assertThat(row.getLong(0)).isEqualTo(ROWS);
        assertThat(row.getDouble(1)).isCloseTo(sum, within(1e-2));
        assertThat(row.getDouble(2)).isCloseTo(max, within(1e-4));
        assertThat(nodes(aggregated.queryExecution().executedPlan())).anyMatch(WholeStageCodegenExec.class::isInstance);
        // both calls are the same call, scored once; the aggregation reads nothing else, so the batch keeps no other column
        assertThat(ScalaCollections.list(batchOperator(aggregated).output())).singleElement().satisfies(column -> assertThat(column.name()).isEqualTo("predict"));
    }

    @Test
    void groupingByAPrediction()
    {
        List<Row> groups = spark.sql("SELECT predict_label('iris', named_struct('sepal_length', a, 'sepal_width', c, 'petal_length', b, 'petal_width', c)) AS species, count(*) "
                + "FROM t WHERE b IS NOT NULL GROUP BY 1 ORDER BY 1").collectAsList();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < ROWS; i++) {
            if (i != 13) {
                expected.merge(TestModels.classifierLabel(a(i), c(i), b(i), c(i)), 1L, Long::sum);
            }
        }
        Map<String, Long> actual = new HashMap<>();
        groups.forEach(row -> actual.put(row.getString(0), row.getLong(1)));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void structsBindByFieldNameAndArraysByPosition()
    {
        List<Row> rows = spark.sql("SELECT id, predict('mixed', named_struct('member', member, 'city', city, 'age', a)), "
                + "predict('linear', array(a, b, c, d)), "
                + "predict_proba('iris', a, c, b, c) "
                + "FROM t WHERE b IS NOT NULL").collectAsList();
        for (Row row : rows) {
            int i = row.getInt(0);
            String city = i % 4 == 0 ? "paris" : i % 4 == 1 ? "lima" : i % 4 == 2 ? "oslo" : null;
            if (city == null) {
                assertThat(row.isNullAt(1)).isTrue();
            }
            else {
                assertThat(row.getDouble(1)).isCloseTo(TestModels.mixedColumnsReference(a(i), city, i % 3 == 0), within(1e-4));
            }
            assertThat(row.getDouble(2)).isCloseTo(linear(i), within(1e-4));
            Map<String, Double> probabilities = row.getJavaMap(3);
            double[] expected = TestModels.classifierProbabilities(a(i), c(i), b(i), c(i));
            for (int k = 0; k < expected.length; k++) {
                assertThat(probabilities.get(TestModels.CLASSIFIER_LABELS.get(k))).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    @Test
    void aCallInAJoinConditionIsEvaluatedRowByRow()
    {
        List<Row> rows = spark.sql("SELECT l.id, r.id FROM t l JOIN t r ON l.id = r.id + 1 AND predict('linear', l.a, r.b, l.c, r.d) > 0").collectAsList();
        long expected = 0;
        for (int i = 1; i < ROWS; i++) {
            if (i - 1 != 13 && TestModels.linearReference(a(i), b(i - 1), c(i), d(i - 1)) > 0) {
                expected++;
            }
        }
        assertThat(rows).hasSize((int) expected);
    }

    @Test
    void aQueryScoresWithTheVersionItWasAnalysedWith()
    {
        store.register("moving", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        store.register("moving", ModelSource.of(TestModels.doubleLinear()), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(List.of("x0", "x1")).build());
        store.setAlias("moving", "production", 1);
        Dataset<Row> first = spark.sql("SELECT id, predict('moving@production', a, b, c, d) FROM t WHERE id = 20");
        store.setAlias("moving", "production", 2);
        // analysed before the alias moved: still version 1, with its four features
        assertThat(first.collectAsList().get(0).getDouble(1)).isCloseTo(linear(20), within(1e-4));
        Row second = spark.sql("SELECT predict('moving@production', a, b) FROM t WHERE id = 20").collectAsList().get(0);
        assertThat(second.getDouble(0)).isCloseTo(TestModels.doubleLinearReference(a(20), b(20)), within(1e-9));
    }

    @Test
    void nullsAndErrors()
    {
        assertThat(spark.sql("SELECT predict(NULL, a, b, c, d) FROM t WHERE id = 1").collectAsList().get(0).isNullAt(0)).isTrue();
        assertThatThrownBy(() -> spark.sql("SELECT predict('nope', a, b) FROM t"))
                .hasMessageContaining("Model 'nope' does not exist");
        assertThatThrownBy(() -> spark.sql("SELECT predict('linear', a, b) FROM t"))
                .hasMessageContaining("Model linear/1");
        assertThatThrownBy(() -> spark.sql("SELECT predict_label('linear', a, b, c, d) FROM t"))
                .hasMessageContaining("Model linear/1 is not a classifier (task regression); use predict");
        assertThatThrownBy(() -> spark.sql("SELECT predict(city, a, b, c, d) FROM t"))
                .hasMessageContaining("The first argument of predict must be a constant string naming a model");
        assertThatThrownBy(() -> spark.sql("SELECT predict('linear', a, city, c, d) FROM t"))
                .hasMessageContaining("Feature 2 of predict (t.city) has type string; pass numbers");
        assertThatThrownBy(() -> spark.sql("SELECT predict('linear') FROM t"))
                .hasMessageContaining("predict takes a model and the features");
        assertThatThrownBy(() -> spark.sql("SELECT predict('mixed', named_struct('age', a, 'city', city, 'member', current_date())) FROM t"))
                .hasMessageContaining("Field 'member' has type date, which cannot be passed to a model");
    }

    @Test
    void aFileThatFailsItsChecksumIsNeverScored()
            throws Exception
    {
        // a file no other model shares, so no session loaded from a verified copy exists
        ModelManifest manifest = store.register("tampered", ModelSource.of(TestModels.mlp(4, 4, 1, 99).bytes()), RegisterOptions.DEFAULTS);
        Files.write(storeDirectory.resolve("models/tampered").resolve(manifest.modelFile()), TestModels.doubleLinear());
        assertThatThrownBy(() -> spark.sql("SELECT predict('tampered', a, b, c, d) FROM t").collectAsList())
                .hasMessageContaining("The ONNX file of model tampered/1 fails its checksum");
    }

    @Test
    void aStoreThatCannotBeReached()
    {
        spark.conf().set("spark.onyx.model-store", "s3://models/onyx");
        spark.conf().set("spark.onyx.s3.endpoint", "http://127.0.0.1:9");
        spark.conf().set("spark.onyx.s3.region", "us-east-1");
        try {
            assertThatThrownBy(() -> spark.sql("SELECT predict('linear', a, b, c, d) FROM t"))
                    .isInstanceOf(OnyxException.class)
                    .hasMessageContaining("model store");
        }
        finally {
            spark.conf().set("spark.onyx.model-store", storeDirectory.toString());
            spark.conf().unset("spark.onyx.s3.endpoint");
            spark.conf().unset("spark.onyx.s3.region");
        }
    }

    private static BatchPredictExec batchOperator(Dataset<Row> query)
    {
        List<SparkPlan> found = nodes(query.queryExecution().executedPlan()).stream().filter(BatchPredictExec.class::isInstance).toList();
        assertThat(found).hasSize(1);
        return (BatchPredictExec) found.get(0);
    }

    /**
     * Every node of a physical plan, looking into adaptive plans and their query stages.
     */
    private static List<SparkPlan> nodes(SparkPlan plan)
    {
        List<SparkPlan> nodes = new ArrayList<>();
        nodes.add(plan);
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            nodes.addAll(nodes(adaptive.executedPlan()));
        }
        if (plan instanceof QueryStageExec stage) {
            nodes.addAll(nodes(stage.plan()));
        }
        for (SparkPlan child : ScalaCollections.list(plan.children())) {
            nodes.addAll(nodes(child));
        }
        return nodes;
    }
}
