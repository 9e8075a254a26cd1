package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.lang.String.format;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The compiled evaluator against ONNX Runtime through SQL: the same store served by three catalogs, {@code ml}
 * ({@code onyx.evaluator=auto}), {@code ml_onnxruntime} and {@code ml_compiled}, must give the same answers in every
 * form, within float rounding; {@code loaded_models} tells which evaluator serves each model.
 */
final class TestEvaluators
        extends AbstractOnyxQueryTest
{
    private static final String LINEITEM = "tpch.tiny.lineitem";
    private static final String NUMBERS = "quantity, extendedprice / 1e4, discount * 10, tax * 10";
    private static final List<String> CATALOGS = List.of("ml", "ml_onnxruntime", "ml_compiled");

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        QueryRunner queryRunner = super.createQueryRunner();
        for (String evaluator : List.of("onnxruntime", "compiled")) {
            queryRunner.createCatalog("ml_" + evaluator, OnyxConnectorFactory.NAME, ImmutableMap.of(
                    "onyx.model-store", storeDirectory.toString(),
                    "onyx.device", "cpu",
                    "onyx.evaluator", evaluator));
        }
        // batches of 7 rows split every page; batches of a million hold every page of a worker until the end
        for (int batchSize : List.of(7, 1_000_000)) {
            queryRunner.createCatalog("ml_batch_" + batchSize, OnyxConnectorFactory.NAME, ImmutableMap.of(
                    "onyx.model-store", storeDirectory.toString(),
                    "onyx.device", "cpu",
                    "onyx.evaluator", "onnxruntime",
                    "onyx.batch-size", String.valueOf(batchSize)));
        }
        return queryRunner;
    }

    @Override
    protected void registerModels()
    {
        register("linear", TestModels.linearRegression(), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        register("mlp", TestModels.mlp(4, 64, 1, 3).bytes(), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
        register("forest", TestModels.forest(20, 4, new float[] {1, 0, 0, 0}, new float[] {50, 10, 1, 1}, 5).bytes(), RegisterOptions.builder().task(ModelTask.REGRESSION).handlesMissingValues(true).build());
        register("iris", TestModels.classifier(), RegisterOptions.DEFAULTS);
        register("mixed", TestModels.mixedColumns(), RegisterOptions.DEFAULTS);
    }

    @Test
    void everyEvaluatorGivesTheSameNumbers()
    {
        for (String model : List.of("linear", "mlp", "forest")) {
            for (String catalog : CATALOGS.subList(1, 3)) {
                // per row, scalar form against scalar form, and the table form against the scalar form
                assertThat((Double) computeScalar(format(
                        "SELECT max(abs(ml.system.predict('%1$s', %3$s) - %2$s.system.predict('%1$s', %3$s)) / (1 + abs(ml.system.predict('%1$s', %3$s)))) FROM %4$s",
                        model, catalog, NUMBERS, LINEITEM)))
                        .as("%s scalar in ml and %s", model, catalog)
                        .isLessThanOrEqualTo(1e-5);
                assertThat((Double) computeScalar(format(
                        "SELECT max(abs(prediction - ml.system.predict('%1$s', a, b, c, d)) / (1 + abs(prediction))) " +
                                "FROM TABLE(%2$s.system.predict(input => TABLE(SELECT quantity a, extendedprice / 1e4 b, discount * 10 c, tax * 10 d FROM %3$s), model => '%1$s', features => DESCRIPTOR(a, b, c, d)))",
                        model, catalog, LINEITEM)))
                        .as("%s table form in %s", model, catalog)
                        .isLessThanOrEqualTo(1e-5);
            }
        }
        // the fast path against an independent formula
        assertThat((Double) computeScalar(format("SELECT max(abs(predict('linear', %s) - (0.5e0 * quantity - 1.25e0 * extendedprice / 1e4 + 2e0 * discount * 10 + 0.75e0 * tax * 10 + 3e0))) FROM %s", NUMBERS, LINEITEM)))
                .isLessThan(1e-4);
    }

    @Test
    void theTableFunctionScoresInBatchesOfTheConfiguredSize()
    {
        for (String catalog : List.of("ml_batch_7", "ml_batch_1000000")) {
            // every row once, in the input's order within each page, with its own prediction
            assertThat(computeActual(format(
                    "SELECT count(*), count(DISTINCT (orderkey, linenumber)), max(abs(prediction - ml.system.predict('mlp', a, b, c, d)) / (1 + abs(prediction))) " +
                            "FROM TABLE(%s.system.predict(input => TABLE(SELECT orderkey, linenumber, quantity a, extendedprice / 1e4 b, discount * 10 c, tax * 10 d FROM %s), model => 'mlp', features => DESCRIPTOR(a, b, c, d)))",
                    catalog, LINEITEM)).getMaterializedRows().get(0).getFields())
                    .satisfies(fields -> {
                        assertThat(fields.get(0)).isEqualTo(60_175L);
                        assertThat(fields.get(1)).isEqualTo(60_175L);
                        assertThat((Double) fields.get(2)).isLessThanOrEqualTo(1e-5);
                    });
        }
    }

    @Test
    void nullsAndMissingValuesAreTheSameInEveryEvaluator()
    {
        for (String catalog : CATALOGS) {
            assertThat(computeScalar(format("SELECT %s.system.predict('linear', 1, NULL, 3, 4)", catalog))).isNull();
            // a model that takes missing values scores a NULL as NaN, routed by the trees
            assertThat((Double) computeScalar(format("SELECT %s.system.predict('forest', 3, NULL, 0.5, NULL)", catalog)))
                    .isCloseTo(TestModels.forest(20, 4, new float[] {1, 0, 0, 0}, new float[] {50, 10, 1, 1}, 5).reference(3, Float.NaN, 0.5f, Float.NaN), within(1e-5));
        }
    }

    @Test
    void everyEvaluatorGivesTheSameLabelsAndProbabilities()
    {
        String features = "quantity / 10e0, discount * 40, tax * 40, linenumber / 2e0";
        for (String catalog : CATALOGS.subList(1, 3)) {
            // labels differ only where two classes tie within float rounding: ONNX Runtime's own scores differ in the
            // last bit between one row per call and many (see inference-core's README), and so may its choice
            assertThat(computeScalar(format(
                    "SELECT count_if(here <> there AND abs(probabilities[here] - probabilities[there]) > 1e-6) FROM (" +
                            "SELECT ml.system.predict_label('iris', %1$s) here, %2$s.system.predict_label('iris', %1$s) there, ml.system.predict_proba('iris', %1$s) probabilities FROM %3$s)",
                    features, catalog, LINEITEM)))
                    .isEqualTo(0L);
            assertThat((Double) computeScalar(format(
                    "SELECT max(abs(ml.system.predict_proba('iris', %1$s)['virginica'] - %2$s.system.predict_proba('iris', %1$s)['virginica'])) FROM %3$s", features, catalog, LINEITEM)))
                    .isLessThanOrEqualTo(1e-6);
            String row = "CAST(ROW(quantity, CASE linenumber WHEN 1 THEN 'paris' WHEN 2 THEN 'tokyo' WHEN 3 THEN 'lima' ELSE 'rome' END, returnflag = 'R') AS ROW(age double, city varchar, member boolean))";
            assertThat((Double) computeScalar(format(
                    "SELECT max(abs(ml.system.predict('mixed', %1$s) - %2$s.system.predict('mixed', %1$s))) FROM %3$s", row, catalog, LINEITEM)))
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void loadedModelsShowTheEvaluators()
    {
        computeActual(format("SELECT predict('linear', %1$s), predict('mlp', %1$s), predict('forest', %1$s), ml_onnxruntime.system.predict('linear', %1$s) FROM %2$s LIMIT 5", NUMBERS, LINEITEM));
        List<MaterializedRow> auto = computeActual("SELECT DISTINCT name, row_evaluator, batch_evaluator, evaluator_note FROM ml.system.loaded_models WHERE name IN ('forest', 'linear', 'mlp') ORDER BY name").getMaterializedRows();
        assertThat(auto).hasSize(3);
        // trees are compiled in batches too; other models only below the batch size that amortises a runtime call
        assertThat(auto.get(0).getFields()).containsExactly("forest", "compiled", "compiled", null);
        assertThat(auto.get(1).getFields()).containsExactly("linear", "compiled", "onnxruntime",
                "batches of 613 rows or more run on ONNX Runtime, whose batched kernels are faster than the compiled model's 4 multiply-adds per row");
        assertThat(auto.get(2).getFields().subList(0, 3)).containsExactly("mlp", "compiled", "onnxruntime");
        assertThat((String) auto.get(2).getField(3)).startsWith("batches of 7 rows or more");
        assertThat(computeActual("SELECT DISTINCT row_evaluator, batch_evaluator, evaluator_note FROM ml_onnxruntime.system.loaded_models WHERE name = 'linear'").getMaterializedRows())
                .extracting(MaterializedRow::getFields)
                .containsExactly(List.of("onnxruntime", "onnxruntime", "evaluator=onnxruntime"));
    }
}
