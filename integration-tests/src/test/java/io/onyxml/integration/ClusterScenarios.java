package io.onyxml.integration;

import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.onyxml.integration.Queries.scalar;
import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The plugin zip the build produces on a real two-node Trino cluster ({@link OnyxCluster}), with the models in a real
 * S3-protocol server (s3proxy), used over JDBC and the Trino CLI: scoring on both nodes, errors with their codes,
 * alias moves during queries, a worker lost mid-query, a plugin upgrade. Each subclass runs these on one kind of
 * cluster.
 */
@TestInstance(PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ClusterScenarios
{
    @RegisterExtension
    static final SharedClusters CLUSTERS = new SharedClusters();

    private static final String LINEAR_IN_SQL = "(0.5e0 * quantity - 1.25e0 * extendedprice / 1e4 + 2e0 * discount + 0.75e0 * tax + 3e0)";
    private static final String FEATURES = "quantity, extendedprice / 1e4 AS price, discount, tax";
    // the codes Trino clients see (io.onyxml.trino.OnyxErrorCode)
    private static final int ONYX_MODEL_NOT_FOUND = 0x0700_0001;
    private static final int ONYX_INVALID_MODEL_INPUT = 0x0700_0002;
    private static final int ONYX_MODEL_STORE_ACCESS_DENIED = 0x0700_0012;
    private static final int ONYX_CHECKSUM_MISMATCH = 0x0700_0013;

    private OnyxCluster cluster;
    private S3ProxyServer s3;

    abstract SharedClusters.Kind kind();

    @BeforeAll
    void useCluster()
    {
        cluster = CLUSTERS.get(kind());
        s3 = cluster.s3();
    }

    @Test
    @Order(1)
    void scoresOnBothNodesWithAModelRegisteredFromS3()
            throws Exception
    {
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("team/linear.onnx"), RequestBody.fromBytes(TestModels.linearRegression()));
        }
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('cluster_linear', 's3://uploads/team/linear.onnx', 'from S3', 'regression', ARRAY['quantity', 'price', 'discount', 'tax'])");
            statement.execute("CALL ml.system.set_alias('cluster_linear', 'production', 1)");

            // the scalar form, against the same formula in SQL arithmetic, row by row
            String scalar = "SELECT count(*), max(abs(ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax) - " + LINEAR_IN_SQL + ")) FROM tpch.tiny.lineitem";
            assertOnBothNodes(statement, scalar);
            // the table form
            String table = "SELECT count(*), max(abs(prediction - (0.5e0 * quantity - 1.25e0 * price + 2e0 * discount + 0.75e0 * tax + 3e0))) " +
                    "FROM TABLE(ml.system.predict(input => TABLE(SELECT " + FEATURES + " FROM tpch.tiny.lineitem), model => 'cluster_linear@production'))";
            assertOnBothNodes(statement, table);

            assertThat(scalar(statement, "SELECT count(DISTINCT node_id) FROM ml.system.loaded_models WHERE name = 'cluster_linear' AND version = 1", Long.class)).isEqualTo(2);
            // the command-line client, once, as a user would call it
            assertThat(Double.parseDouble(cluster.cli("SELECT ml.system.predict('cluster_linear@production', 1, 2, 3, 4)").strip()))
                    .isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
            assertThat(scalar(statement, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'", Long.class)).isEqualTo(2);
        }
    }

    @Test
    @Order(2)
    void errorsReachTheClientWithTheirCodes()
            throws Exception
    {
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            assertError(statement, "SELECT ml.system.predict('nope', quantity) FROM tpch.tiny.lineitem", ONYX_MODEL_NOT_FOUND, "nope");
            assertError(statement, "SELECT ml.system.predict('cluster_linear@production', quantity, discount) FROM tpch.tiny.lineitem", ONYX_INVALID_MODEL_INPUT, "linear");
            // refused credentials: the store's answer, never the secret
            SQLException refused = assertError(statement, "SELECT * FROM ml_s3_wrong.system.models", ONYX_MODEL_STORE_ACCESS_DENIED, "");
            assertThat(refused.getMessage()).doesNotContain(OnyxCluster.WRONG_SECRET);

            // a model file altered in the bucket after its registration: the checksum catches it, other models work on
            try (S3Client client = s3.client()) {
                client.putObject(request -> request.bucket("uploads").key("team/fragile.onnx"), RequestBody.fromBytes(shiftedLinearModel(7)));
                statement.execute("CALL ml.system.register_model('fragile', 's3://uploads/team/fragile.onnx', 'to be altered', 'regression', ARRAY['quantity', 'price', 'discount', 'tax'])");
                String key = client.listObjectsV2(request -> request.bucket("models").prefix("onyx/models/fragile/files/")).contents().get(0).key();
                byte[] altered = shiftedLinearModel(8);
                client.putObject(request -> request.bucket("models").key(key), RequestBody.fromBytes(altered));
            }
            assertError(statement, "SELECT ml.system.predict('fragile', quantity, extendedprice / 1e4, discount, tax) FROM tpch.tiny.lineitem", ONYX_CHECKSUM_MISMATCH, "fragile");
            assertThat(scalar(statement, "SELECT count(ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax)) FROM tpch.tiny.lineitem", Long.class))
                    .isEqualTo(60_175);
        }
    }

    @Test
    @Order(3)
    void everyQuerySeesOneVersionWhileTheAliasMoves()
            throws Exception
    {
        // version 2: the same weights, the bias 1000 higher
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("team/linear-v2.onnx"), RequestBody.fromBytes(shiftedLinearModel(1000)));
        }
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('cluster_linear', 's3://uploads/team/linear-v2.onnx', 'shifted', 'regression', ARRAY['quantity', 'price', 'discount', 'tax'])");
            statement.execute("CALL ml.system.set_alias('cluster_linear', 'production', 1)");
        }
        // per query: the rows scored by version 1, by version 2, and all rows
        List<String> queries = List.of(
                "SELECT count_if(abs(p - f) < 1e-3), count_if(abs(p - f - 1000) < 1e-3), count(*) FROM (" +
                        "SELECT ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax) p, " + LINEAR_IN_SQL + " f FROM tpch.tiny.lineitem)",
                "SELECT count_if(abs(prediction - f) < 1e-3), count_if(abs(prediction - f - 1000) < 1e-3), count(*) FROM (" +
                        "SELECT prediction, (0.5e0 * quantity - 1.25e0 * price + 2e0 * discount + 0.75e0 * tax + 3e0) f " +
                        "FROM TABLE(ml.system.predict(input => TABLE(SELECT " + FEATURES + " FROM tpch.tiny.lineitem), model => 'cluster_linear@production')))");
        // 32 queries at once, while the alias moves five times
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String sql = queries.get(i % 2);
                results.add(pool.submit(() -> counts(sql)));
            }
            try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
                for (int move = 0; move < 4; move++) {
                    statement.execute("CALL ml.system.set_alias('cluster_linear', 'production', " + (move % 2 == 0 ? 2 : 1) + ")");
                }
                statement.execute("CALL ml.system.set_alias('cluster_linear', 'production', 2)");
            }
            int[] queriesOfVersion = new int[2];
            for (Future<long[]> result : results) {
                long[] counts = result.get(5, TimeUnit.MINUTES);
                assertThat(counts[2]).isEqualTo(60_175);
                // all of one version, none of the other
                assertThat(counts[0] == counts[2] && counts[1] == 0 || counts[1] == counts[2] && counts[0] == 0)
                        .as("rows of version 1: %s, of version 2: %s, of %s", counts[0], counts[1], counts[2])
                        .isTrue();
                queriesOfVersion[counts[0] == counts[2] ? 0 : 1]++;
            }
            // the first queries started before the first move took effect (a change waits out onyx.change-delay)
            assertThat(queriesOfVersion[0]).isPositive();
            // a query that starts after the last move sees it
            assertThat(counts(queries.get(0))).containsExactly(0, 60_175, 60_175);
            assertThat(counts(queries.get(1))).containsExactly(0, 60_175, 60_175);
        }
        finally {
            pool.shutdownNow();
        }
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            // each node loaded each version once, however many queries asked for it at the same moment, within its budget
            assertThat(scalar(statement, "SELECT count(DISTINCT node_id) FROM ml.system.loaded_models WHERE name = 'cluster_linear' AND version = 2", Long.class)).isEqualTo(2);
            assertThat(scalar(statement, "SELECT max(loads) FROM ml.system.loaded_models WHERE name = 'cluster_linear'", Long.class)).isEqualTo(1);
            assertThat(scalar(statement, "SELECT max(bytes) FROM (SELECT sum(estimated_bytes) bytes FROM ml.system.loaded_models GROUP BY node_id)", Long.class)).isLessThanOrEqualTo(1L << 30);
        }
    }

    @Test
    @Order(4)
    void aQueryFailsCleanlyWhenTheWorkerDiesAndTheNextRunsOnTheCoordinator()
            throws Exception
    {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // long enough to be running on both nodes when the worker dies
            Future<long[]> running = pool.submit(() -> counts("SELECT count(*), count(ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax)), 0 FROM tpch.sf3.lineitem"));
            awaitTaskRunningOn(OnyxCluster.WORKER, "tpch.sf3.lineitem");
            cluster.killWorker();
            assertThat(catchExecution(running))
                    .as("the query the worker was running")
                    .isInstanceOf(SQLException.class);
            cluster.awaitActiveNodes(1);
            try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
                // the store is intact: both versions and the alias
                assertThat(scalar(statement, "SELECT count(*) FROM ml.system.model_versions WHERE name = 'cluster_linear'", Long.class)).isEqualTo(2);
                assertThat(scalar(statement, "SELECT aliases['production'] FROM ml.system.models WHERE name = 'cluster_linear'", Long.class)).isEqualTo(2);
                assertOnNodes(statement, "SELECT count(*), max(abs(ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax) - 1000 - " + LINEAR_IN_SQL + ")) FROM tpch.tiny.lineitem", 1);
            }
        }
        finally {
            pool.shutdownNow();
            // as the other scenarios on this cluster expect it
            cluster.startWorker();
        }
    }

    @Test
    @Order(5)
    void anUpgradedPluginKeepsServingTheModelsInTheStore()
            throws Exception
    {
        String versions = "SELECT * FROM ml.system.model_versions ORDER BY name, version";
        String models = "SELECT * FROM ml.system.models ORDER BY name";
        List<List<Object>> versionsBefore;
        List<List<Object>> modelsBefore;
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            versionsBefore = rows(statement, versions);
            modelsBefore = rows(statement, models);
        }
        assertThat(versionsBefore).hasSizeGreaterThanOrEqualTo(3);

        cluster.upgradePlugin();

        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            // the manifests read back as they were written
            assertThat(rows(statement, versions)).isEqualTo(versionsBefore);
            assertThat(rows(statement, models)).isEqualTo(modelsBefore);
            // and the models score as before, on both nodes
            assertOnBothNodes(statement, "SELECT count(*), max(abs(ml.system.predict('cluster_linear@production', quantity, extendedprice / 1e4, discount, tax) - 1000 - " + LINEAR_IN_SQL + ")) FROM tpch.tiny.lineitem");
            assertOnBothNodes(statement, "SELECT count(*), max(abs(ml.system.predict('cluster_linear/1', quantity, extendedprice / 1e4, discount, tax) - " + LINEAR_IN_SQL + ")) FROM tpch.tiny.lineitem");
        }
    }

    private static List<List<Object>> rows(Statement statement, String sql)
            throws SQLException
    {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    Object value = result.getObject(column);
                    row.add(value instanceof Array array ? List.of((Object[]) array.getArray()) : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static SQLException assertError(Statement statement, String sql, int errorCode, String messagePart)
    {
        // the scalar functions resolve a reference on the nodes: the error comes with the rows
        Throwable thrown = catchThrowable(() -> {
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    result.getObject(1);
                }
            }
        });
        assertThat(thrown).as(sql).isInstanceOf(SQLException.class);
        SQLException error = (SQLException) thrown;
        assertThat(error.getErrorCode()).as(error.getMessage()).isEqualTo(errorCode);
        assertThat(error.getMessage()).contains(messagePart);
        return error;
    }

    /**
     * Waits until a running query whose text holds the marker has a running task on the node.
     */
    private void awaitTaskRunningOn(String nodeId, String marker)
            throws Exception
    {
        String sql = "SELECT count(*) FROM system.runtime.tasks t JOIN system.runtime.queries q ON t.query_id = q.query_id " +
                "WHERE q.state = 'RUNNING' AND t.state = 'RUNNING' AND t.node_id = '" + nodeId + "' AND strpos(q.query, '" + marker + "') > 0 AND strpos(q.query, 'system.runtime') = 0";
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            Polling.await("a task of the query over " + marker + " runs on " + nodeId, Duration.ofSeconds(60), () -> scalar(statement, sql, Long.class) > 0);
        }
    }

    private long[] counts(String sql)
            throws SQLException
    {
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return new long[] {result.getLong(1), result.getLong(2), result.getLong(3)};
        }
    }

    private static Throwable catchExecution(Future<?> future)
            throws InterruptedException, TimeoutException
    {
        try {
            future.get(3, TimeUnit.MINUTES);
            return null;
        }
        catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static byte[] shiftedLinearModel(float shift)
    {
        return new OnnxGraphBuilder("linear_regression")
                .input("x", FLOAT, DYNAMIC, 4)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("w", TestModels.LINEAR_WEIGHTS, 4, 1)
                .floatInitializer("b", new float[] {TestModels.LINEAR_BIAS + shift}, 1)
                .node("MatMul").inputs("x", "w").outputs("xw").add()
                .node("Add").inputs("xw", "b").outputs("y").add()
                .build();
    }

    private static void assertOnBothNodes(Statement statement, String sql)
            throws SQLException
    {
        assertOnNodes(statement, sql, 2);
    }

    /**
     * Runs a query that returns a row count and a largest error, checks both, and on how many nodes the query's
     * tasks ran.
     */
    private static void assertOnNodes(Statement statement, String sql, int nodes)
            throws SQLException
    {
        String queryId;
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).as(sql).isEqualTo(60_175);
            assertThat(result.getDouble(2)).as(sql).isLessThan(1e-3);
            queryId = result.unwrap(TrinoResultSet.class).getQueryId();
        }
        assertThat(scalar(statement, "SELECT count(DISTINCT node_id) FROM system.runtime.tasks WHERE query_id = '" + queryId + "'", Long.class))
                .as("nodes that ran tasks of " + sql)
                .isEqualTo(nodes);
    }
}
