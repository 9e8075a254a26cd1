package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.StoreLease;
import io.onyxml.training.TrainingSlots;
import io.trino.Session;
import io.trino.execution.QueryManager;
import io.trino.execution.QueryState;
import io.trino.server.BasicQueryInfo;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static io.onyxml.trino.OnyxErrorCode.ONYX_CONCURRENCY_LIMIT_EXCEEDED;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_TRAINING_DATA;
import static io.onyxml.trino.OnyxErrorCode.ONYX_TRAINING_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * train_model and evaluate in a two-node cluster: each algorithm trained from SQL, scored with both forms of
 * predict and with evaluate, against values computed independently (exact formulas, Trino's own regression
 * aggregates, hand-written SQL metrics).
 */
class TestTrainModel
        extends AbstractOnyxQueryTest
{
    // y = 3a - 2b + 1 exactly, with a text column that adds 4 for 'y' and a boolean that adds 0.5
    private static final String EXACT = """
            SELECT a, b, c, flag, 3 * a - 2 * b + 1 + IF(c = 'y', 4, 0) + IF(flag, 0.5, 0) AS y
            FROM (SELECT CAST(i AS double) AS a, cos(i) * 10 AS b, IF(i % 3 = 0, 'x', 'y') AS c, i % 4 = 0 AS flag FROM UNNEST(sequence(1, 500)) AS t(i))
            """;

    private static final String LIMITED = "ml_limited";

    @Override
    protected void registerModels() {}

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        QueryRunner queryRunner = super.createQueryRunner();
        // the same store, with one training at a time on each node and in the cluster
        queryRunner.createCatalog(LIMITED, OnyxConnectorFactory.NAME, ImmutableMap.of(
                "onyx.model-store", storeDirectory.toString(),
                "onyx.device", "cpu",
                "onyx.training.max-concurrent-per-node", "1",
                "onyx.training.max-concurrent-per-cluster", "1",
                "onyx.training.max-slot-wait", "4s"));
        return queryRunner;
    }

    @Test
    void linearRegressionRecoversExactCoefficients()
    {
        computeActual("SELECT * FROM TABLE(train_model(input => TABLE(" + EXACT + "), model => 'exact', label => 'y', algorithm => 'linear_regression'))");
        MaterializedRow row = computeActual("SELECT model, algorithm, training_rows, features, metrics['r2'], test_metrics, cluster_sizes, warnings FROM TABLE(train_model(input => TABLE(" + EXACT + "), model => 'exact', label => 'y', algorithm => 'linear_regression'))").getMaterializedRows().get(0);
        assertThat(row.getField(0)).isEqualTo("exact/2");
        assertThat(row.getField(1)).isEqualTo("linear_regression");
        assertThat(row.getField(2)).isEqualTo(500L);
        assertThat(row.getField(3)).isEqualTo(List.of("a", "b", "c", "flag"));
        assertThat((Double) row.getField(4)).isCloseTo(1, within(1e-12));
        assertThat(row.getField(5)).isNull();
        assertThat(row.getField(6)).isNull();
        assertThat(row.getField(7)).isEqualTo(List.of());

        // a second training added a version, it did not overwrite the first
        assertThat(computeScalar("SELECT count(*) FROM ml.system.model_versions WHERE name = 'exact'")).isEqualTo(2L);
        // by the query's user, in the query the training map names
        assertThat(computeScalar("SELECT registered_by FROM ml.system.model_versions WHERE name = 'exact' AND version = 2")).isEqualTo(getSession().getUser());
        assertThat((String) computeScalar("SELECT json_extract_scalar(training, '$.query_id') FROM ml.system.model_versions WHERE name = 'exact' AND version = 2")).matches("\\d{8}_\\d{6}_\\d{5}_\\w{5}");
        String coefficients = (String) computeScalar("SELECT element_at(CAST(json_parse(training) AS map(varchar, varchar)), 'coefficients') FROM ml.system.model_versions WHERE name = 'exact' AND version = 2");
        Map<String, Double> fitted = parse(coefficients);
        assertThat(fitted.get("a")).isCloseTo(3, within(1e-9));
        assertThat(fitted.get("b")).isCloseTo(-2, within(1e-9));
        assertThat(fitted.get("c=y")).isCloseTo(4, within(1e-9));
        assertThat(fitted.get("c=x")).isEqualTo(0.0);
        assertThat(fitted.get("flag")).isCloseTo(0.5, within(1e-9));
        assertThat(fitted.get("(intercept)")).isCloseTo(1, within(1e-9));

        // both forms of predict reproduce the formula, and evaluate agrees with the training metrics
        assertThat((Double) computeScalar("SELECT max(abs(predict('exact', CAST(ROW(a, b, c, flag) AS ROW(a double, b double, c varchar, flag boolean))) - y)) FROM (" + EXACT + ")")).isLessThan(1e-9);
        assertThat((Double) computeScalar("SELECT max(abs(prediction - y)) FROM TABLE(predict(input => TABLE(" + EXACT + "), model => 'exact'))")).isLessThan(1e-9);
        MaterializedRow evaluated = computeActual("SELECT rows, metrics['r2'], metrics['rmse'] FROM TABLE(evaluate(input => TABLE(" + EXACT + "), model => 'exact', label => 'y'))").getMaterializedRows().get(0);
        assertThat(evaluated.getField(0)).isEqualTo(500L);
        assertThat((Double) evaluated.getField(1)).isCloseTo(1, within(1e-12));
        assertThat((Double) evaluated.getField(2)).isCloseTo(0, within(1e-9));
    }

    @Test
    void linearRegressionOnLineitemMatchesTrinosRegression()
    {
        computeActual("""
                SELECT * FROM TABLE(train_model(
                    input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem),
                    model => 'price', label => 'extendedprice', algorithm => 'linear_regression'))
                """);
        String coefficients = (String) computeScalar("SELECT element_at(CAST(json_parse(training) AS map(varchar, varchar)), 'coefficients') FROM ml.system.model_versions WHERE name = 'price'");
        double slope = (Double) computeScalar("SELECT regr_slope(extendedprice, quantity) FROM tpch.tiny.lineitem");
        double intercept = (Double) computeScalar("SELECT regr_intercept(extendedprice, quantity) FROM tpch.tiny.lineitem");
        Map<String, Double> fitted = parse(coefficients);
        assertThat(fitted.get("quantity")).isCloseTo(slope, within(Math.abs(slope) * 1e-9));
        assertThat(fitted.get("(intercept)")).isCloseTo(intercept, within(Math.abs(intercept) * 1e-9));
        double r2 = (Double) computeScalar("SELECT power(corr(extendedprice, quantity), 2) FROM tpch.tiny.lineitem");
        double evaluated = (Double) computeScalar("SELECT metrics['r2'] FROM TABLE(evaluate(input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem), model => 'price', label => 'extendedprice'))");
        assertThat(evaluated).isCloseTo(r2, within(1e-9));
    }

    @Test
    void logisticRegressionClassifiesTextLabels()
    {
        String data = """
                SELECT x, z, IF(x + 0.5 * z > 10, 'high', 'low') AS level
                FROM (SELECT CAST(i % 20 AS double) AS x, CAST(i % 7 AS double) AS z FROM UNNEST(sequence(1, 400)) AS t(i))
                """;
        MaterializedRow row = computeActual("SELECT model, metrics['accuracy'], metrics['auc'] FROM TABLE(train_model(input => TABLE(" + data + "), model => 'levels', label => 'level', algorithm => 'logistic_regression', options => 'l2=0.01'))").getMaterializedRows().get(0);
        assertThat(row.getField(0)).isEqualTo("levels/1");
        assertThat((Double) row.getField(1)).isGreaterThan(0.97);
        assertThat((Double) row.getField(2)).isGreaterThan(0.99);
        assertThat(computeScalar("SELECT class_labels FROM ml.system.model_versions WHERE name = 'levels'")).isEqualTo(List.of("high", "low"));

        // accuracy by hand, through the scalar and the table form, equals evaluate's and training's
        double scalar = (Double) computeScalar("SELECT avg(IF(predict_label('levels', x, z) = level, 1e0, 0e0)) FROM (" + data + ")");
        double table = (Double) computeScalar("SELECT avg(IF(label = level, 1e0, 0e0)) FROM TABLE(predict(input => TABLE(" + data + "), model => 'levels'))");
        double evaluated = (Double) computeScalar("SELECT metrics['accuracy'] FROM TABLE(evaluate(input => TABLE(" + data + "), model => 'levels', label => 'level'))");
        assertThat(scalar).isEqualTo(table).isEqualTo(evaluated).isEqualTo((Double) row.getField(1));
        assertThat((Double) computeScalar("SELECT max(abs(predict_proba('levels', x, z)['high'] + predict_proba('levels', x, z)['low'] - 1)) FROM (" + data + ")")).isLessThan(1e-12);
    }

    @Test
    void gradientBoostedTrees()
    {
        String data = "SELECT quantity, discount, shipmode, IF(orderkey % 10 = 0, NULL, tax) AS tax, extendedprice, returnflag FROM tpch.tiny.lineitem";
        MaterializedRow regression = computeActual("SELECT model, metrics['r2'], metrics['rmse'] FROM TABLE(train_model(input => TABLE(SELECT quantity, discount, shipmode, tax, extendedprice FROM (" + data + ")), model => 'boosted', label => 'extendedprice', algorithm => 'gradient_boosted_trees', options => 'num_trees=30, max_depth=4'))").getMaterializedRows().get(0);
        assertThat(regression.getField(0)).isEqualTo("boosted/1");
        assertThat((Double) regression.getField(1)).isBetween(0.8, 1.0);
        // both forms of predict agree, and evaluate (ONNX Runtime) agrees with the trainer's own metrics (XGBoost's tree walk)
        assertThat((Double) computeScalar("""
                SELECT max(abs(p.prediction - predict('boosted', CAST(ROW(p.quantity, p.discount, p.shipmode, p.tax) AS ROW(quantity double, discount double, shipmode varchar, tax double)))))
                FROM TABLE(predict(input => TABLE(SELECT quantity, discount, shipmode, tax FROM (%s)), model => 'boosted')) p
                """.formatted(data))).isLessThan(1e-9);
        MaterializedRow evaluated = computeActual("SELECT metrics['r2'], metrics['rmse'] FROM TABLE(evaluate(input => TABLE(SELECT quantity, discount, shipmode, tax, extendedprice FROM (" + data + ")), model => 'boosted', label => 'extendedprice'))").getMaterializedRows().get(0);
        assertThat((Double) evaluated.getField(1)).isCloseTo((Double) regression.getField(2), within(1e-5 * (Double) regression.getField(2)));

        MaterializedRow classifier = computeActual("SELECT metrics['accuracy'] FROM TABLE(train_model(input => TABLE(SELECT quantity, discount, shipmode, returnflag FROM (" + data + ")), model => 'flags', label => 'returnflag', algorithm => 'gradient_boosted_trees', options => 'num_trees=10'))").getMaterializedRows().get(0);
        double accuracy = (Double) computeScalar("SELECT avg(IF(label = returnflag, 1e0, 0e0)) FROM TABLE(predict(input => TABLE(SELECT quantity, discount, shipmode, returnflag FROM (" + data + ")), model => 'flags'))");
        assertThat(accuracy).isEqualTo((Double) classifier.getField(0));
        assertThat(computeScalar("SELECT class_labels FROM ml.system.model_versions WHERE name = 'flags'")).isEqualTo(List.of("A", "N", "R"));
    }

    @Test
    void kmeansFindsBlobs()
    {
        String blobs = """
                SELECT blob, x, y FROM (
                    SELECT i % 3 AS blob, (i % 3) * 20 + sin(i) AS x, IF(i % 3 = 1, 20, 0) + cos(i * 3) AS y FROM UNNEST(sequence(1, 300)) AS t(i))
                """;
        MaterializedRow row = computeActual("SELECT model, cluster_sizes, metrics['inertia'] FROM TABLE(train_model(input => TABLE(SELECT x, y FROM (" + blobs + ")), model => 'blobs', algorithm => 'kmeans', options => 'k=3, n_init=3'))").getMaterializedRows().get(0);
        assertThat(row.getField(1)).isEqualTo(List.of(100L, 100L, 100L));
        // each blob is one cluster, the blobs are different clusters
        assertThat(computeScalar("SELECT max(clusters) FROM (SELECT count(DISTINCT predict('blobs', x, y)) AS clusters FROM (" + blobs + ") GROUP BY blob)")).isEqualTo(1L);
        assertThat(computeScalar("SELECT count(DISTINCT cluster) FROM TABLE(predict(input => TABLE(SELECT x, y FROM (" + blobs + ")), model => 'blobs'))")).isEqualTo(3L);
        // inertia by hand: squared distance to the nearest centre, from the distances the model returns
        double inertia = (Double) computeScalar("SELECT sum(power(array_min(distances), 2)) FROM TABLE(predict(input => TABLE(SELECT x, y FROM (" + blobs + ")), model => 'blobs'))");
        assertThat((Double) row.getField(2)).isCloseTo(inertia, within(1e-9 * inertia));
        assertThat((Double) computeScalar("SELECT metrics['inertia'] FROM TABLE(evaluate(input => TABLE(SELECT x, y FROM (" + blobs + ")), model => 'blobs'))")).isCloseTo(inertia, within(1e-9 * inertia));
    }

    @Test
    void onePerPartition()
    {
        MaterializedResult result = computeActual("""
                SELECT returnflag, model, training_rows FROM TABLE(train_model(
                    input => TABLE(SELECT returnflag, quantity, discount, extendedprice FROM tpch.tiny.lineitem) PARTITION BY returnflag,
                    model => 'flagged', label => 'extendedprice', algorithm => 'linear_regression'))
                ORDER BY returnflag
                """);
        assertThat(result.getMaterializedRows()).extracting(row -> row.getField(1)).containsExactly("flagged__returnflag=.41/1", "flagged__returnflag=.4e/1", "flagged__returnflag=.52/1");
        assertThat(result.getMaterializedRows()).extracting(row -> row.getField(2))
                .containsExactlyElementsOf(computeActual("SELECT count(*) FROM tpch.tiny.lineitem GROUP BY returnflag ORDER BY returnflag").getOnlyColumn().toList());
        // each partition's model scores its own rows as a regression on that partition alone would
        double r2 = (Double) computeScalar("SELECT metrics['r2'] FROM TABLE(evaluate(input => TABLE(SELECT quantity, discount, extendedprice FROM tpch.tiny.lineitem WHERE returnflag = 'N'), model => 'flagged__returnflag=.4e', label => 'extendedprice'))");
        assertThat(r2).isBetween(0.5, 1.0);
    }

    @Test
    void heldOutRows()
    {
        MaterializedRow row = computeActual("""
                SELECT training_rows, test_metrics['r2'], metrics['r2'] FROM TABLE(train_model(
                    input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem),
                    model => 'held_out', label => 'extendedprice', algorithm => 'linear_regression', options => 'test_fraction=0.25, seed=7'))
                """).getMaterializedRows().get(0);
        long training = (Long) row.getField(0);
        assertThat((double) training / 60175).isCloseTo(0.75, within(0.02));
        assertThat((Double) row.getField(1)).isBetween(0.5, 1.0);
        ModelManifest manifest = store.resolve("held_out");
        assertThat(manifest.metrics()).containsKeys("r2", "test_r2");
        assertThat(manifest.training()).containsEntry("test_rows", Long.toString(60175 - training));
    }

    @Test
    void nullsAreImputedInsideTheModel()
    {
        // NULL text is its own category (''), an unseen one counts as none; a NULL number becomes the training mean
        String data = """
                SELECT a, c, 2 * a + CASE c WHEN 'p' THEN 5 WHEN 'q' THEN -1 ELSE 7 END AS y
                FROM (SELECT CAST(i AS double) AS a, CASE i % 3 WHEN 0 THEN 'p' WHEN 1 THEN 'q' END AS c FROM UNNEST(sequence(1, 90)) AS t(i))
                """;
        computeActual("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'imputed', label => 'y', algorithm => 'linear_regression'))");
        assertThat(computeScalar("SELECT handles_missing_values FROM ml.system.model_versions WHERE name = 'imputed'")).isEqualTo(true);
        assertThat(computeScalar("SELECT json_extract_scalar(training, '$.preprocessing') FROM ml.system.model_versions WHERE name = 'imputed'"))
                .isEqualTo("[{\"column\":\"a\",\"type\":\"double\",\"missing\":45.5,\"center\":0.0,\"scale\":1.0},{\"column\":\"c\",\"type\":\"varchar\",\"categories\":[\"\",\"p\",\"q\"]}]");
        MaterializedResult result = computeActual("""
                SELECT a, c, prediction FROM TABLE(predict(
                    input => TABLE(VALUES (10e0, CAST(NULL AS varchar)), (CAST(NULL AS double), 'p'), (20e0, 'unseen')) AS t(a, c),
                    model => 'imputed'))
                ORDER BY a NULLS FIRST
                """);
        List<MaterializedRow> rows = result.getMaterializedRows();
        // mean of a over 1..90 is 45.5; the reference category without a penalty is '' (NULL), the first in order
        assertThat((Double) rows.get(0).getField(2)).isCloseTo(2 * 45.5 + 5, within(1e-9));
        assertThat((Double) rows.get(1).getField(2)).isCloseTo(2 * 10 + 7, within(1e-9));
        assertThat((Double) rows.get(2).getField(2)).isCloseTo(2 * 20 + 7, within(1e-9));
    }

    @Test
    void timeLimitAndCancellationStopTrainingAndWriteNothing()
            throws Exception
    {
        String slow = """
                SELECT * FROM TABLE(train_model(
                    input => TABLE(SELECT quantity, extendedprice, discount, tax FROM tpch.tiny.lineitem),
                    model => '%s', algorithm => 'kmeans', options => 'k=200, n_init=1000, tolerance=0'))
                """;
        Session oneSecond = Session.builder(getSession()).setCatalogSessionProperty("ml", "training_max_duration", "1s").build();
        assertThat(query(oneSecond, slow.formatted("too_slow"))).failure()
                .hasErrorCode(ONYX_TRAINING_LIMIT_EXCEEDED)
                .hasMessage("Training model 'too_slow' took longer than 1s, the limit of training time; change it with SET SESSION ml.training_max_duration (default from onyx.training.max-duration)");

        QueryManager queries = getDistributedQueryRunner().getCoordinator().getQueryManager();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<?> running = executor.submit(() -> computeActual(slow.formatted("cancelled")));
            // cancel once it has read all its rows, so it is training: the query ends without waiting for the training
            BasicQueryInfo query = awaitQuery(queries, info -> info.getQuery().contains("'cancelled'")
                    && info.getState() == QueryState.RUNNING
                    && queries.getFullQueryInfo(info.getQueryId()).getQueryStats().getProcessedInputPositions() >= 60175);
            queries.cancelQuery(query.getQueryId());
            assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS)).hasRootCauseMessage("Query was canceled");
        }
        finally {
            executor.shutdownNow();
        }
        assertThat(computeScalar("SELECT count(*) FROM ml.system.models WHERE name IN ('too_slow', 'cancelled')")).isEqualTo(0L);
    }

    @Test
    void trainingsWaitForASlotOfTheNodeAndTheCluster()
            throws Exception
    {
        String training = """
                SELECT model FROM TABLE(%s.system.train_model(
                    input => TABLE(SELECT returnflag, quantity, extendedprice FROM tpch.tiny.lineitem) PARTITION BY returnflag,
                    model => '%s', label => 'extendedprice', algorithm => 'linear_regression'))
                """;
        // a training elsewhere (another node, a Spark application) holds the cluster's only slot
        StoreLease elsewhere = store.tryLease(TrainingSlots.POOL, 1, "a training elsewhere", java.time.Duration.ofMinutes(1)).orElseThrow();
        assertThat(query(training.formatted(LIMITED, "waiting"))).failure()
                .hasErrorCode(ONYX_CONCURRENCY_LIMIT_EXCEEDED)
                .hasMessageMatching("Training model 'waiting__returnflag=.[0-9a-f]{2}' waited [4-6]s for a training slot: at most 1 trainings run at once on each node \\(onyx.training.max-concurrent-per-node\\) and at most 1 in the cluster \\(onyx.training.max-concurrent-per-cluster\\); try again later, or raise the limits or onyx.training.max-slot-wait");
        assertThat(computeScalar("SELECT count(*) FROM ml.system.models WHERE name LIKE 'waiting%'")).isEqualTo(0L);

        QueryManager queries = getDistributedQueryRunner().getCoordinator().getQueryManager();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<MaterializedResult> running = executor.submit(() -> computeActual(training.formatted(LIMITED, "queued")));
            // the query read its rows and waits for the slot: free it
            awaitQuery(queries, info -> info.getQuery().contains("'queued'")
                    && info.getState() == QueryState.RUNNING
                    && queries.getFullQueryInfo(info.getQueryId()).getQueryStats().getProcessedInputPositions() >= 60175);
            elsewhere.close();
            // three partitions, one slot: they took turns
            assertThat(running.get(60, TimeUnit.SECONDS).getOnlyColumnAsSet()).containsExactlyInAnyOrder("queued__returnflag=.41/1", "queued__returnflag=.4e/1", "queued__returnflag=.52/1");
        }
        finally {
            executor.shutdownNow();
        }
        // every slot was returned
        try (StoreLease free = store.tryLease(TrainingSlots.POOL, 1, "test", java.time.Duration.ofMinutes(1)).orElseThrow()) {
            assertThat(free.held()).isTrue();
        }
    }

    private static BasicQueryInfo awaitQuery(QueryManager queries, Predicate<BasicQueryInfo> condition)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<BasicQueryInfo> found = queries.getQueries().stream().filter(condition).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("No query met the condition within 60 seconds");
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing()
    {
        String train = "SELECT * FROM TABLE(train_model(input => TABLE(%s), model => 'bad', label => 'y', algorithm => '%s'%s))";
        String data = "SELECT CAST(i AS double) AS x, CAST(i * 2 AS double) AS y, 'c' || CAST(i AS varchar) AS t FROM UNNEST(sequence(1, 50)) AS t(i)";
        assertQueryFails(train.formatted(data, "svm", ""), "Unknown algorithm 'svm': use one of linear_regression, logistic_regression, gradient_boosted_trees, kmeans");
        assertQueryFails(train.formatted(data, "linear_regression", ", options => 'depth=3'"), "Unknown option 'depth' for linear_regression: its options are l2 \\(default 0.0\\), standardize \\(default false\\), test_fraction \\(default 0.0\\), seed \\(default 42\\)");
        assertQueryFails(train.formatted(data, "linear_regression", ", options => 'l2=-1'"), "Option l2=-1 of linear_regression is invalid: expected a number of at least 0");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'bad', algorithm => 'linear_regression'))", "linear_regression needs a label: label => '<column>'");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'bad', label => 'price', algorithm => 'linear_regression'))", "The label column 'price' is not a column of the input table; its columns are: x, y, t");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'bad', label => 't', algorithm => 'linear_regression'))", "Label 't' has type varchar; linear_regression needs a numeric label \\(for classes use logistic_regression\\)");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(SELECT x, y FROM (" + data + ")), model => 'bad', label => 'y', algorithm => 'kmeans'))", "kmeans takes no label; leave out label => 'y'");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(SELECT x, current_date AS d, y FROM (" + data + ")), model => 'bad', label => 'y', algorithm => 'linear_regression'))",
                "Column 'd' has type date, which cannot be a feature: .*");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'Bad Name', label => 'y', algorithm => 'linear_regression'))", "Invalid model name 'Bad Name': .*");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(SELECT x AS label, y FROM (" + data + ")), model => 'bad', label => 'y', algorithm => 'linear_regression'))",
                "Column 'label' cannot be a feature: the trained model's outputs are named prediction, label, probabilities, cluster and distances, and onyx/ names its internal tensors; rename it in the input query");
        assertQueryFails("SELECT * FROM TABLE(train_model(input => TABLE(" + data + "), model => 'a=b', label => 'y', algorithm => 'linear_regression'))", "Model name 'a=b' contains '=', .*");

        assertTrainingError(train.formatted(data + " LIMIT 0", "linear_regression", ""), ONYX_INVALID_TRAINING_DATA, "The input of linear_regression for model 'bad' has no rows");
        assertTrainingError(train.formatted("SELECT x, CAST(NULL AS double) AS y FROM (" + data + ")", "linear_regression", ""), ONYX_INVALID_TRAINING_DATA, "Label 'y' is NULL in every one of the 50 input rows");
        assertTrainingError(train.formatted("SELECT IF(x = 7, nan(), x) AS x, y FROM (" + data + ")", "linear_regression", ""), ONYX_INVALID_TRAINING_DATA, "Column 'x' holds NaN in input row .*; training accepts finite numbers only: use NULL for a missing value \\(filter with is_finite\\(x\\)\\)");
        assertTrainingError(train.formatted("SELECT x, 'same' AS y FROM (" + data + ")", "logistic_regression", ""), ONYX_INVALID_TRAINING_DATA, "Label 'y' has a single class \\('same'\\); logistic_regression needs at least two classes");
        assertTrainingError(train.formatted("SELECT x, x * 2 AS twice, y FROM (" + data + ")", "linear_regression", ""), ONYX_INVALID_TRAINING_DATA, "The features of model 'bad' are linearly dependent .*");

        Session fewCategories = Session.builder(getSession()).setCatalogSessionProperty("ml", "training_max_categories", "10").build();
        assertThat(query(fewCategories, train.formatted(data, "linear_regression", ""))).failure()
                .hasErrorCode(ONYX_TRAINING_LIMIT_EXCEEDED)
                .hasMessage("Column 't' has more than 10 distinct values, the limit of categories per text column; group rare values in the input query; change it with SET SESSION ml.training_max_categories (default from onyx.training.max-categories)");
        Session fewRows = Session.builder(getSession()).setCatalogSessionProperty("ml", "training_max_rows", "20").build();
        assertThat(query(fewRows, train.formatted(data, "linear_regression", ""))).failure()
                .hasErrorCode(ONYX_TRAINING_LIMIT_EXCEEDED)
                .hasMessageStartingWith("Training model 'bad' reads more than 20 rows, the limit of rows per model");
        Session fewFeatures = Session.builder(getSession()).setCatalogSessionProperty("ml", "training_max_features", "1").build();
        assertThat(query(fewFeatures, train.formatted(data, "linear_regression", ""))).failure()
                .hasErrorCode(ONYX_TRAINING_LIMIT_EXCEEDED)
                .hasMessageStartingWith("Model 'bad' would train on 2 feature columns, more than 1");

        // nothing was written: no version, no file
        assertThat(computeScalar("SELECT count(*) FROM ml.system.models WHERE name = 'bad'")).isEqualTo(0L);
        assertThat(store.orphanFiles(java.time.Instant.now().plusSeconds(3600))).isEmpty();
    }

    @Test
    void evaluateErrors()
    {
        computeActual("SELECT * FROM TABLE(train_model(input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem), model => 'to_evaluate', label => 'extendedprice', algorithm => 'linear_regression'))");
        assertQueryFails("SELECT * FROM TABLE(evaluate(input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem), model => 'to_evaluate'))", "Model to_evaluate/1 is a regression model: evaluate needs label => '<column>'");
        assertQueryFails("SELECT * FROM TABLE(evaluate(input => TABLE(SELECT quantity, extendedprice FROM tpch.tiny.lineitem), model => 'missing', label => 'extendedprice'))", ".*missing.*");
        assertQueryFails("SELECT * FROM TABLE(evaluate(input => TABLE(SELECT discount, extendedprice FROM tpch.tiny.lineitem), model => 'to_evaluate', label => 'extendedprice'))", "Model to_evaluate/1 needs a column named quantity.*");
    }

    private void assertTrainingError(String sql, OnyxErrorCode code, String message)
    {
        assertThat(query(sql)).failure().hasErrorCode(code).hasMessageMatching(message);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> parse(String json)
    {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
