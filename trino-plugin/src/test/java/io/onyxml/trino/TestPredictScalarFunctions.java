package io.onyxml.trino;

import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The scalar functions, with expected values computed by the same formulas in SQL or by the reference implementations
 * of the test models.
 */
final class TestPredictScalarFunctions
        extends AbstractOnyxQueryTest
{
    private static final String FEATURES = "(VALUES (1, 1.5e0, -2e0, 0.5e0, 3e0), (2, 0e0, 0e0, 0e0, 0e0), (3, -4.25e0, 10e0, 7e0, -1e0), (4, 100e0, 0.001e0, -3e0, 2e0)) t(id, a, b, c, d)";
    private static final String LINEAR_IN_SQL = "(0.5e0 * a - 1.25e0 * b + 2e0 * c + 0.75e0 * d + 3e0)";

    private TestModels.Mlp embedding;

    @Override
    protected void registerModels()
    {
        register("linear", TestModels.linearRegression(), RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(TestModels.LINEAR_FEATURES).build());
        register("iris", TestModels.classifier(), RegisterOptions.builder().featureNames(List.of("sepal_length", "sepal_width", "petal_length", "petal_width")).build());
        register("mixed", TestModels.mixedColumns(), RegisterOptions.DEFAULTS);
        embedding = TestModels.mlp(4, 8, 3, 11);
        register("embed", embedding.bytes(), RegisterOptions.builder().task(ModelTask.EMBEDDING).build());
    }

    @Test
    void listsTheFunctions()
    {
        MaterializedResult functions = computeActual("SHOW FUNCTIONS FROM ml.system");
        assertThat(functions.getMaterializedRows()).extracting(row -> row.getField(0))
                .contains("predict", "predict_label", "predict_proba", "predict_vector");
        // three scalar forms (numbers, array, row) and the table function
        assertThat(functions.getMaterializedRows()).filteredOn(row -> row.getField(0).equals("predict")).extracting(row -> row.getField(3))
                .containsExactlyInAnyOrder("scalar", "scalar", "scalar", "table");
    }

    @Test
    void predictsWithNumbersInFeatureOrder()
    {
        assertThat((Double) computeScalar("SELECT max(abs(ml.system.predict('linear', a, b, c, d) - " + LINEAR_IN_SQL + ")) FROM " + FEATURES)).isLessThan(1e-3);
        // unqualified through the session path, with integer and real arguments coerced to double
        assertThat((Double) computeScalar("SELECT predict('linear', 1, 2, REAL '3', 4e0)")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
        assertThat((Double) computeScalar("SELECT predict('linear/1', 1, 2, 3, 4)")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
    }

    @Test
    void predictsWithAnArray()
    {
        assertThat((Double) computeScalar("SELECT max(abs(predict('linear', ARRAY[a, b, c, d]) - " + LINEAR_IN_SQL + ")) FROM " + FEATURES)).isLessThan(1e-3);
    }

    @Test
    void predictsWithARowOfNamedFields()
    {
        double expected = TestModels.mixedColumnsReference(30, "tokyo", true);
        assertThat((Double) computeScalar("SELECT predict('mixed', CAST(ROW(30, 'tokyo', true) AS ROW(age double, city varchar, member boolean)))")).isCloseTo(expected, within(1e-4));
        // field order does not matter, names do
        assertThat((Double) computeScalar("SELECT predict('mixed', CAST(ROW(true, 30, 'tokyo') AS ROW(member boolean, age integer, city varchar)))")).isCloseTo(expected, within(1e-4));
        assertThat((Double) computeScalar("SELECT predict('linear', CAST(ROW(1, 2, 3, 4) AS ROW(a double, b double, c double, d double)))")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
    }

    @Test
    void nullFeaturesGiveNull()
    {
        assertThat(computeScalar("SELECT predict('linear', 1, NULL, 3, 4)")).isNull();
        assertThat(computeScalar("SELECT predict('linear', CAST(NULL AS array(double)))")).isNull();
        assertThat(computeScalar("SELECT predict(CAST(NULL AS varchar), 1, 2, 3, 4)")).isNull();
        assertThat(computeScalar("SELECT count(predict('linear', a, IF(id = 2, NULL, b), c, d)) FROM " + FEATURES)).isEqualTo(3L);
    }

    @Test
    void classifierLabelsAndProbabilities()
    {
        double[] features = {5.1, 3.5, 1.4, 0.2};
        String arguments = "5.1e0, 3.5e0, 1.4e0, 0.2e0";
        assertThat(computeScalar("SELECT predict_label('iris', " + arguments + ")")).isEqualTo(TestModels.classifierLabel(features));

        @SuppressWarnings("unchecked")
        Map<String, Double> probabilities = (Map<String, Double>) computeScalar("SELECT predict_proba('iris', " + arguments + ")");
        double[] expected = TestModels.classifierProbabilities(features);
        assertThat(probabilities).containsOnlyKeys(TestModels.CLASSIFIER_LABELS);
        for (int c = 0; c < expected.length; c++) {
            assertThat(probabilities.get(TestModels.CLASSIFIER_LABELS.get(c))).isCloseTo(expected[c], within(1e-5));
        }
        assertThat((Double) computeScalar("SELECT reduce(map_values(predict_proba('iris', " + arguments + ")), 0e0, (s, x) -> s + x, s -> s)")).isCloseTo(1, within(1e-5));
    }

    @Test
    void vectorsOfAMultiOutputModel()
    {
        MaterializedRow row = getOnlyElement(computeActual("SELECT predict_vector('embed', 1, 2, 3, 4)").getMaterializedRows());
        @SuppressWarnings("unchecked")
        List<Double> vector = (List<Double>) row.getField(0);
        double[] expected = embedding.reference(1, 2, 3, 4);
        assertThat(vector).hasSize(3);
        for (int k = 0; k < 3; k++) {
            assertThat(vector.get(k)).isCloseTo(expected[k], within(1e-4));
        }
        assertThat((List<?>) computeScalar("SELECT predict_vector('linear', 1, 2, 3, 4)")).hasSize(1);
    }

    @Test
    void reportsErrorsWithTheModelAndTheFeature()
    {
        assertQueryFails("SELECT predict('churn', 1, 2)", "Model 'churn' does not exist");
        assertQueryFails("SELECT predict('linear/7', 1, 2, 3, 4)", "Model 'linear' has no version 7; existing versions: 1");
        assertQueryFails("SELECT predict('linear@production', 1, 2, 3, 4)", "Model 'linear' has no alias 'production'; its aliases: latest");
        assertQueryFails("SELECT predict('Linear!', 1, 2, 3, 4)", "Invalid model reference 'Linear!': .*");
        assertQueryFails("SELECT predict('linear', 1, 2, 3)", "Model linear/1 takes 4 features \\(a, b, c, d\\), or one array per input, but 3 values were given");
        assertQueryFails("SELECT predict('linear', ARRAY[1e0, 2e0])", "Model linear/1 input 'x' \\(float\\[N,4\\]\\) needs 4 values per row, but a row of its array column has 2");
        assertQueryFails("SELECT predict('iris', 1, 2, 3, 4)", "Model iris/1 is a classifier with text labels \\(setosa, versicolor, virginica\\); use predict_label");
        assertQueryFails("SELECT predict_label('linear', 1, 2, 3, 4)", "Model linear/1 is not a classifier \\(task regression\\); use predict");
        assertQueryFails("SELECT predict('embed', 1, 2, 3, 4)", "Model embed/1 returns several values per row \\(output 'y' float\\[N,3\\]\\); use predict_vector");
        assertQueryFails("SELECT predict('mixed', CAST(ROW(30, 'tokyo') AS ROW(age double, town varchar)))", "Model mixed/1 needs a column named city for input 'city' .*");
        assertQueryFails("SELECT predict('mixed', CAST(ROW(30, 1, true) AS ROW(age double, city double, member boolean)))", "Model mixed/1 input 'city' \\(string\\[N,1\\]\\) cannot take column 'city' of type double: it needs a varchar");
        assertQueryFails("SELECT predict('linear', 'a', 'b', 'c', 'd')", ".*Unexpected parameters \\(varchar\\(6\\), varchar\\(1\\), varchar\\(1\\), varchar\\(1\\), varchar\\(1\\)\\) for function predict.*");
    }

    private static MaterializedRow getOnlyElement(List<MaterializedRow> rows)
    {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
