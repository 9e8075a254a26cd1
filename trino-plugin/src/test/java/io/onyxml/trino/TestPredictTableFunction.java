package io.onyxml.trino;

import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.trino.Session;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.trino.spi.type.DoubleType.DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class TestPredictTableFunction
        extends AbstractOnyxQueryTest
{
    private static final String LINEAR_IN_SQL = "(0.5e0 * a - 1.25e0 * b + 2e0 * c + 0.75e0 * d + 3e0)";

    @Override
    protected void registerModels()
    {
        register("linear", TestModels.linearRegression(), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        register("iris", TestModels.classifier(), RegisterOptions.DEFAULTS);
        register("two", TestModels.twoInputs(), RegisterOptions.DEFAULTS);
    }

    @BeforeAll
    void createTables()
    {
        // 3000 rows over several splits, so the function runs on both nodes and on many pages
        getQueryRunner().execute("""
                CREATE TABLE memory.default.houses AS
                SELECT orderkey AS id, 'order ' || CAST(orderkey AS varchar) AS note, totalprice / 1e4 AS a, CAST(custkey % 7 AS double) AS b, shippriority + 0.5e0 AS c, (orderkey % 13) - 6e0 AS d, orderdate
                FROM tpch.tiny.orders
                WHERE orderkey <= 12000""");
        getQueryRunner().execute("CREATE TABLE memory.default.embeddings AS SELECT * FROM (VALUES (1, ARRAY[REAL '1', 2, 3], BIGINT '10'), (2, ARRAY[REAL '0.5', -0.5, 0.25], 0), (3, NULL, 5)) t(id, embedding, count)");
    }

    @Test
    void returnsTheInputColumnsFollowedByThePrediction()
    {
        MaterializedResult result = computeActual("SELECT * FROM TABLE(ml.system.predict(input => TABLE(memory.default.houses), model => 'linear')) LIMIT 1");
        assertThat(result.getColumnNames()).containsExactly("id", "note", "a", "b", "c", "d", "orderdate", "prediction");
        assertThat(result.getTypes().get(7)).isEqualTo(DOUBLE);

        assertThat((Double) computeScalar("SELECT max(abs(prediction - " + LINEAR_IN_SQL + ")) FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear'))")).isLessThan(1e-3);
        assertThat(computeScalar("SELECT count(*) FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear'))"))
                .isEqualTo(computeScalar("SELECT count(*) FROM memory.default.houses"));
    }

    @Test
    void givesTheSameNumbersAsTheScalarFunction()
    {
        assertThat(computeScalar("""
                SELECT count(*)
                FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear')) t
                JOIN memory.default.houses h ON t.id = h.id
                WHERE t.prediction <> predict('linear', h.a, h.b, h.c, h.d)""")).isEqualTo(0L);
    }

    @Test
    void bindsByPositionWithAFeatureDescriptor()
    {
        // the columns are named otherwise; features => DESCRIPTOR lists them in the model's feature order
        assertThat((Double) computeScalar("""
                SELECT max(abs(prediction - (0.5e0 * w - 1.25e0 * x + 2e0 * y + 0.75e0 * z + 3e0)))
                FROM TABLE(predict(
                    input => TABLE(SELECT a AS w, b AS x, c AS y, d AS z FROM memory.default.houses),
                    model => 'linear',
                    features => DESCRIPTOR(w, x, y, z)))""")).isLessThan(1e-3);
    }

    @Test
    void classifierReturnsLabelAndProbabilities()
    {
        MaterializedResult result = computeActual("""
                SELECT x1, x2, x3, x4, label, probabilities
                FROM TABLE(predict(
                    input => TABLE(SELECT * FROM (VALUES (5.1e0, 3.5e0, 1.4e0, 0.2e0), (6.7e0, 3.0e0, 5.2e0, 2.3e0), (-1e0, 0e0, 4e0, 9e0)) v(x1, x2, x3, x4)),
                    model => 'iris',
                    features => DESCRIPTOR(x1, x2, x3, x4)))""");
        assertThat(result.getRowCount()).isEqualTo(3);
        for (MaterializedRow row : result.getMaterializedRows()) {
            double[] features = {(Double) row.getField(0), (Double) row.getField(1), (Double) row.getField(2), (Double) row.getField(3)};
            assertThat(row.getField(4)).isEqualTo(TestModels.classifierLabel(features));
            @SuppressWarnings("unchecked")
            Map<String, Double> probabilities = (Map<String, Double>) row.getField(5);
            double[] expected = TestModels.classifierProbabilities(features);
            for (int c = 0; c < expected.length; c++) {
                assertThat(probabilities.get(TestModels.CLASSIFIER_LABELS.get(c))).isCloseTo(expected[c], within(1e-5));
            }
        }
    }

    @Test
    void feedsAnArrayColumnAndABigintColumn()
    {
        MaterializedResult result = computeActual("SELECT id, prediction FROM TABLE(predict(input => TABLE(memory.default.embeddings), model => 'two')) ORDER BY id");
        List<MaterializedRow> rows = result.getMaterializedRows();
        assertThat((Double) rows.get(0).getField(1)).isCloseTo(TestModels.twoInputsReference(new float[] {1, 2, 3}, 10), within(1e-5));
        assertThat((Double) rows.get(1).getField(1)).isCloseTo(TestModels.twoInputsReference(new float[] {0.5f, -0.5f, 0.25f}, 0), within(1e-5));
        // a NULL feature gives a NULL prediction and leaves the row in place
        assertThat(rows.get(2).getField(1)).isNull();
    }

    @Test
    void holdsItsWholeInputInMemoryAsTrino476DoesForEveryTableFunction()
    {
        // Trino 476 collects all rows of a table argument without PARTITION BY before calling the function
        // (trinodb/trino#25046 would stream them); the README's "Memory" paragraph tells users. If this starts to fail
        // after a Trino upgrade, the table function streams: update that paragraph and this test.
        // 240,700 rows of four doubles, about 10 MB; the scalar function streams them within 3 MB per node
        Session smallMemory = Session.builder(getSession()).setSystemProperty("query_max_memory_per_node", "3MB").build();
        String rows = "SELECT quantity AS a, extendedprice / 1e4 AS b, discount AS c, tax + copy AS d FROM tpch.tiny.lineitem CROSS JOIN UNNEST(sequence(1, 4)) t(copy)";
        assertThat(computeScalar(smallMemory, "SELECT count(predict('linear', a, b, c, d)) FROM (" + rows + ")")).isEqualTo(240700L);
        assertQueryFails(smallMemory, "SELECT count(prediction) FROM TABLE(predict(input => TABLE(" + rows + "), model => 'linear'))", "Query exceeded per-node memory limit of 3MB.*");
    }

    @Test
    void checksColumnsAtAnalysis()
    {
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(SELECT a, b, c FROM memory.default.houses), model => 'linear'))",
                "Model linear/1 needs columns named a, b, c, d for input 'x' \\(float\\[N,4\\]\\), or an array column named 'x'; missing: d; the columns are: a double, b double, c double");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(SELECT note AS a, b, c, d FROM memory.default.houses), model => 'linear'))",
                "Model linear/1 input 'x' \\(float\\[N,4\\]\\) cannot take column 'a' of type varchar: it needs a number \\(double, float, bigint, integer, or a boolean as 0 or 1\\)");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear', features => DESCRIPTOR(a, b, c, nope)))",
                "Feature column 'nope' is not a column of the input table; its columns are: id, note, a, b, c, d, orderdate");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear', features => DESCRIPTOR(a, b, c, orderdate)))",
                "Column 'orderdate' has type date, which cannot be passed to a model; use double, real, bigint, integer, decimal, boolean, varchar or arrays of numbers \\(cast it\\)");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'linear', features => DESCRIPTOR(a, b, c)))",
                "Model linear/1 takes 4 features \\(a, b, c, d\\), or one array per input, but 3 values were given");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(memory.default.houses), model => 'nope'))",
                "Model 'nope' does not exist");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(SELECT a, b, c, d, 1 AS prediction FROM memory.default.houses), model => 'linear'))",
                "The input table has a column named 'prediction', like a result column of model linear/1; rename it in the input query");
        assertQueryFails(
                "SELECT * FROM TABLE(predict(input => TABLE(memory.default.houses), model => NULL))",
                "predict needs a model: model => 'name', 'name/3' or 'name@alias'");
    }
}
