package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import io.trino.jdbc.TrinoResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static io.onyxml.integration.Queries.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The plugin zip the build produces on a real two-node Trino 476 cluster, a coordinator (which also runs tasks) and a
 * worker as separate JVMs, with the models in a real S3-protocol server (s3proxy), used over JDBC.
 */
@TestInstance(PER_CLASS)
class TrinoClusterIT
{
    private static final String LINEAR_IN_SQL = "(0.5e0 * quantity - 1.25e0 * extendedprice / 1e4 + 2e0 * discount + 0.75e0 * tax + 3e0)";
    private static final String FEATURES = "quantity, extendedprice / 1e4 AS price, discount, tax";

    private S3ProxyServer s3;
    private TrinoServer coordinator;
    private TrinoServer worker;

    @BeforeAll
    void startCluster()
            throws Exception
    {
        s3 = new S3ProxyServer(Files.createTempDirectory("onyx-s3-"));
        s3.createBucket("models");
        s3.createBucket("uploads");
        Map<String, String> catalogs = Map.of("ml_s3", """
                connector.name=onyx
                onyx.model-store=s3://models/onyx
                onyx.s3.endpoint=%s
                onyx.s3.region=us-east-1
                onyx.s3.path-style-access=true
                onyx.s3.aws-access-key=%s
                onyx.s3.aws-secret-key=%s
                onyx.register-model.allowed-locations=s3://uploads/team
                """.formatted(s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
        coordinator = TrinoServer.start(catalogs);
        worker = coordinator.startWorker("onyx-worker", catalogs);
        coordinator.awaitActiveNodes(2);
    }

    @AfterAll
    void stopCluster()
            throws Exception
    {
        try (S3ProxyServer ignored = s3) {
            if (worker != null) {
                worker.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
        }
    }

    @Test
    void scoresOnBothNodesWithAModelRegisteredFromS3()
            throws Exception
    {
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("team/linear.onnx"), RequestBody.fromBytes(TestModels.linearRegression()));
        }
        try (Connection connection = coordinator.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml_s3.system.register_model('linear', 's3://uploads/team/linear.onnx', 'from S3', 'regression', ARRAY['quantity', 'price', 'discount', 'tax'])");
            statement.execute("CALL ml_s3.system.set_alias('linear', 'production', 1)");

            // the scalar form, against the same formula in SQL arithmetic, row by row
            String scalar = "SELECT count(*), max(abs(ml_s3.system.predict('linear@production', quantity, extendedprice / 1e4, discount, tax) - " + LINEAR_IN_SQL + ")) FROM tpch.tiny.lineitem";
            assertOnBothNodes(statement, scalar);
            // the table form
            String table = "SELECT count(*), max(abs(prediction - (0.5e0 * quantity - 1.25e0 * price + 2e0 * discount + 0.75e0 * tax + 3e0))) " +
                    "FROM TABLE(ml_s3.system.predict(input => TABLE(SELECT " + FEATURES + " FROM tpch.tiny.lineitem), model => 'linear@production'))";
            assertOnBothNodes(statement, table);

            assertThat(scalar(statement, "SELECT count(DISTINCT node_id) FROM ml_s3.system.loaded_models WHERE name = 'linear' AND version = 1", Long.class)).isEqualTo(2);
            assertThat(scalar(statement, "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'", Long.class)).isEqualTo(2);
        }
    }

    /**
     * Runs a query that returns a row count and a largest error, checks both, and that the query's tasks ran on both
     * nodes.
     */
    private static void assertOnBothNodes(Statement statement, String sql)
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
                .isEqualTo(2);
    }
}
