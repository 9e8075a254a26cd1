package io.onyxml.integration;

import com.google.common.hash.Hashing;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.onyxml.integration.Queries.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The plugin zip the build produces, installed in a real Trino 476 server distribution configured by the project's
 * {@code etc/}, and used over JDBC as a client would: register a model, predict, list the catalog. One more catalog,
 * {@code ml_s3}, keeps its models in a real S3-protocol server (s3proxy) started by the test.
 */
@TestInstance(PER_CLASS)
class OnyxOnTrinoServerIT
{
    // the codes Trino clients see (io.trino.spi.StandardErrorCode, io.onyxml.trino.OnyxErrorCode)
    private static final int PERMISSION_DENIED = 4;
    private static final int ONYX_INVALID_MODEL_INPUT = 0x0700_0002;
    private static final int ONYX_UNSUPPORTED_MODEL = 0x0700_0003;
    private static final int ONYX_INVALID_MODEL_FILE = 0x0700_0004;
    private static final int ONYX_MODEL_STORE_ACCESS_DENIED = 0x0700_0012;
    private static final String WRONG_SECRET = "a-wrong-secret-9f3b";

    private S3ProxyServer s3;
    private TrinoServer server;

    @BeforeAll
    void startServers()
            throws Exception
    {
        s3 = TrinoServer.s3ProxyWithBuckets();

        server = TrinoServer.start(Map.of(
                "ml_s3", S3Catalogs.onyx(s3.endpoint(), S3ProxyServer.SECRET_KEY) + "onyx.register-model.allowed-locations=s3://uploads/team\n",
                "ml_s3_wrong", S3Catalogs.onyx(s3.endpoint(), WRONG_SECRET)));
    }

    @AfterAll
    void stopServers()
            throws Exception
    {
        try (S3ProxyServer ignored = s3) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void thePluginHoldsOneOnnxRuntime()
            throws IOException
    {
        try (Stream<Path> jars = Files.list(TrinoServer.pluginDirectory())) {
            assertThat(jars.map(jar -> jar.getFileName().toString()).filter(name -> name.startsWith("onnxruntime")))
                    .singleElement()
                    .satisfies(name -> assertThat(name).matches("onnxruntime(_gpu)?-[0-9.]+\\.jar"));
        }
    }

    @Test
    void registersPredictsAndListsModels()
            throws Exception
    {
        Path model = server.upload("linear.onnx", TestModels.linearRegression());
        Path classifier = server.upload("iris.onnx", TestModels.classifier());
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('linear', '" + model + "', 'a linear model', 'regression', ARRAY['a', 'b', 'c', 'd'])");
            statement.execute("CALL ml.system.register_model('iris', '" + classifier + "')");
            statement.execute("CALL ml.system.set_alias('linear', 'production', 1)");

            // the server's sql.path (etc/config.properties) lets predict be called unqualified
            assertThat(scalar(statement, "SELECT predict('linear@production', 1, 2, 3, 4)", Double.class))
                    .isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
            assertThat(largestTableFunctionError(statement, "ml")).isLessThan(1e-3);
            assertThat(scalar(statement, "SELECT predict_label('iris', 5.1, 3.5, 1.4, 0.2)", String.class)).isEqualTo(TestModels.classifierLabel(5.1, 3.5, 1.4, 0.2));

            try (ResultSet models = statement.executeQuery("SELECT name, latest_version, aliases, description FROM ml.system.models WHERE name IN ('iris', 'linear') ORDER BY name")) {
                assertThat(models.next()).isTrue();
                assertThat(models.getString("name")).isEqualTo("iris");
                assertThat(models.next()).isTrue();
                assertThat(models.getString("name")).isEqualTo("linear");
                assertThat(models.getLong("latest_version")).isEqualTo(1);
                assertThat(models.getObject("aliases")).isEqualTo(Map.of("latest", 1L, "production", 1L));
                assertThat(models.getString("description")).isEqualTo("a linear model");
                assertThat(models.next()).isFalse();
            }
            assertThat(scalar(statement, "SELECT device FROM ml.system.loaded_models WHERE name = 'linear' LIMIT 1", String.class)).isEqualTo("cpu");

            assertThatThrownBy(() -> scalar(statement, "SELECT predict('nope', 1, 2)", Double.class))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Model 'nope' does not exist");
        }
    }

    @Test
    void trainsEachAlgorithmAndScoresTheNewVersions()
            throws Exception
    {
        // the plugin zip carries EJML, XGBoost4J and its native library: every algorithm trains on the real server
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            String rows = "SELECT quantity, discount, shipmode, extendedprice, returnflag FROM tpch.tiny.lineitem";
            assertThat(scalar(statement, "SELECT model FROM TABLE(train_model(input => TABLE(SELECT quantity, extendedprice FROM (" + rows + ")), model => 'it_linear', label => 'extendedprice', algorithm => 'linear_regression'))", String.class))
                    .isEqualTo("it_linear/1");
            assertThat(scalar(statement, "SELECT model FROM TABLE(train_model(input => TABLE(SELECT quantity, discount, shipmode, returnflag FROM (" + rows + ")), model => 'it_logistic', label => 'returnflag', algorithm => 'logistic_regression'))", String.class))
                    .isEqualTo("it_logistic/1");
            assertThat(scalar(statement, "SELECT model FROM TABLE(train_model(input => TABLE(SELECT quantity, discount, shipmode, extendedprice FROM (" + rows + ")), model => 'it_trees', label => 'extendedprice', algorithm => 'gradient_boosted_trees', options => 'num_trees=20'))", String.class))
                    .isEqualTo("it_trees/1");
            assertThat(scalar(statement, "SELECT model FROM TABLE(train_model(input => TABLE(SELECT quantity, discount FROM (" + rows + ")), model => 'it_kmeans', algorithm => 'kmeans', options => 'k=3'))", String.class))
                    .isEqualTo("it_kmeans/1");

            // the line Trino's own regression aggregates compute, through both forms of predict
            assertThat(scalar(statement, """
                    SELECT max(abs(predict('it_linear', quantity) - (intercept + slope * quantity)) / abs(intercept + slope * quantity))
                    FROM tpch.tiny.lineitem, (SELECT regr_slope(extendedprice, quantity) AS slope, regr_intercept(extendedprice, quantity) AS intercept FROM tpch.tiny.lineitem)
                    """, Double.class)).isLessThan(1e-9);
            assertThat(scalar(statement, "SELECT max(abs(predict('it_linear', quantity) - prediction)) FROM TABLE(predict(input => TABLE(SELECT quantity FROM tpch.tiny.lineitem), model => 'it_linear'))", Double.class))
                    .isLessThan(1e-9);
            double trainingR2 = scalar(statement, "SELECT metrics['r2'] FROM TABLE(evaluate(input => TABLE(SELECT quantity, discount, shipmode, extendedprice FROM (" + rows + ")), model => 'it_trees', label => 'extendedprice'))", Double.class);
            assertThat(trainingR2).isBetween(0.5, 1.0);
            assertThat(scalar(statement, "SELECT count(DISTINCT cluster) FROM TABLE(predict(input => TABLE(SELECT quantity, discount FROM tpch.tiny.lineitem), model => 'it_kmeans'))", Long.class))
                    .isEqualTo(3L);
            assertThat(scalar(statement, "SELECT metrics['accuracy'] FROM TABLE(evaluate(input => TABLE(SELECT quantity, discount, shipmode, returnflag FROM (" + rows + ")), model => 'it_logistic', label => 'returnflag'))", Double.class))
                    .isBetween(0.3, 1.0);
        }
    }

    @Test
    void keepsModelsInAnS3StoreAndRegistersThemFromS3()
            throws Exception
    {
        byte[] model = TestModels.linearRegression();
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("team/linear.onnx"), RequestBody.fromBytes(model));
        }
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml_s3.system.register_model('linear', 's3://uploads/team/linear.onnx', 'from S3', 'regression', ARRAY['a', 'b', 'c', 'd'])");

            assertThat(scalar(statement, "SELECT ml_s3.system.predict('linear', 1, 2, 3, 4)", Double.class))
                    .isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
            assertThat(largestTableFunctionError(statement, "ml_s3")).isLessThan(1e-3);
            assertThat(scalar(statement, "SELECT sha256 FROM ml_s3.system.model_versions WHERE name = 'linear' AND version = 1", String.class))
                    .isEqualTo(Hashing.sha256().hashBytes(model).toString());

            assertThatThrownBy(() -> statement.execute("CALL ml_s3.system.register_model('other', 's3://uploads/team/missing.onnx')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Model file s3://uploads/team/missing.onnx does not exist");
        }
        // the version lives in the bucket, in the layout model-store/README.md documents
        try (S3Client client = s3.client()) {
            assertThat(client.listObjectsV2(request -> request.bucket("models").prefix("onyx/models/linear/versions/")).contents())
                    .extracting(S3Object::key)
                    .containsExactly("onyx/models/linear/versions/00000001.json");
        }
    }

    @Test
    void refusesFilesThatDeclareMoreThanTheyHoldOrCannotRun()
            throws Exception
    {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            // a file of about a hundred bytes whose input declares 2,000,000,000 columns: one array feature, no heap
            byte[] wide = HostileModels.wide(2_000_000_000L);
            long heapBefore = heapUsed();
            statement.execute("CALL ml.system.register_model('wide', '" + server.upload("wide.onnx", wide) + "')");
            // naming each declared column took over 100 GB and the coordinator down; the file itself needs nothing
            assertThat(heapUsed() - heapBefore).as("growth of the coordinator's heap").isLessThan(1L << 30);
            assertThat(scalar(statement, "SELECT cardinality(feature_names) FROM ml.system.model_versions WHERE name = 'wide'", Long.class)).isEqualTo(1);
            assertFails(statement, "SELECT predict('wide', ARRAY[1e0])", ONYX_INVALID_MODEL_INPUT,
                    "Model wide/1 input 'x' (float[N,2000000000]) needs 2000000000 values per row, but a row of its array column has 1");

            assertRefused(statement, HostileModels.customOperator("com.example.ops", "Magic"), ONYX_UNSUPPORTED_MODEL, "Model 'hostile' uses operator Magic of domain 'com.example.ops', which ONNX Runtime does not provide");

            assertRefused(statement, HostileModels.externalData(), ONYX_UNSUPPORTED_MODEL, "keeps tensor 'w' in an external data file; Onyx loads a model from its ONNX file alone");

            assertRefused(statement, HostileModels.undeclaredData(1L << 40), ONYX_INVALID_MODEL_FILE, "declares tensor 'w' of shape [1099511627776] (1099511627776 float values) but holds 4 bytes for it");

            assertRefused(statement, HostileModels.unloadable(), ONYX_INVALID_MODEL_FILE, "ONNX Runtime 1.28.0 cannot load the ONNX file for model 'hostile': ");
        }
    }

    @Test
    void registersOnlyFromTheAllowedLocations()
            throws Exception
    {
        Path outside = Files.createDirectories(server.onyxHome().resolve("private"));
        Files.write(outside.resolve("secret.onnx"), TestModels.linearRegression());
        Path link = Files.createSymbolicLink(server.upload("placeholder.onnx", new byte[0]).resolveSibling("link.onnx"), outside.resolve("secret.onnx"));
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("other/linear.onnx"), RequestBody.fromBytes(TestModels.linearRegression()));
        }
        String allowed = server.onyxHome().resolve("examples") + ", " + server.onyxHome().resolve("var/uploads");
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            for (String location : List.of(
                    outside.resolve("secret.onnx").toString(),
                    outside.resolve("missing.onnx").toString(),
                    server.onyxHome().resolve("var/uploads/../private/secret.onnx").toString(),
                    link.toString(),
                    "/etc/passwd",
                    "/no/such/file.onnx")) {
                List<String> before = storeFiles();
                assertFails(statement, "CALL ml.system.register_model('outside', '" + location + "')", PERMISSION_DENIED,
                        "Model location '" + location + "' is not in a location models may be registered from: " + allowed + " (onyx.register-model.allowed-locations)");
                assertThat(storeFiles()).isEqualTo(before);
            }
            for (String location : List.of("s3://uploads/other/linear.onnx", "s3://uploads/other/missing.onnx", "s3://models/onyx/models/linear/versions/00000001.json")) {
                assertFails(statement, "CALL ml_s3.system.register_model('outside', '" + location + "')", PERMISSION_DENIED,
                        "Model location '" + location + "' is not in a location models may be registered from: s3://uploads/team (onyx.register-model.allowed-locations)");
            }
            assertThat(scalar(statement, "SELECT count(*) FROM ml.system.models WHERE name = 'outside'", Long.class)).isZero();
            assertThat(scalar(statement, "SELECT 1", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void keepsCredentialsOutOfLogsQueriesMessagesAndTables()
            throws Exception
    {
        try (S3Client client = s3.client()) {
            client.putObject(request -> request.bucket("uploads").key("team/secret-test.onnx"), RequestBody.fromBytes(TestModels.linearRegression()));
        }
        List<String> outputs = new ArrayList<>();
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml_s3.system.register_model('credentials', 's3://uploads/team/secret-test.onnx')");
            outputs.add(String.valueOf(scalar(statement, "SELECT ml_s3.system.predict('credentials', 1, 2, 3, 4)", Double.class)));
            try (ResultSet explain = statement.executeQuery("EXPLAIN ANALYZE SELECT ml_s3.system.predict('credentials', 1e0 * nationkey, 2, 3, 4) FROM tpch.tiny.nation")) {
                while (explain.next()) {
                    outputs.add(explain.getString(1));
                }
            }
            outputs.add(table(statement, "SELECT * FROM ml_s3.system.model_versions"));
            outputs.add(table(statement, "SELECT * FROM ml_s3.system.loaded_models"));
            outputs.add(table(statement, "SELECT * FROM system.metadata.catalogs"));
            outputs.add(table(statement, "SELECT * FROM system.runtime.queries"));
            // refused credentials: the error names the store, not the keys
            SQLException refused = catchSqlException(() -> run(statement, "SELECT * FROM ml_s3_wrong.system.models"));
            assertThat(refused.getErrorCode()).isEqualTo(ONYX_MODEL_STORE_ACCESS_DENIED);
            assertThat(refused.getMessage()).contains("refused to list models/");
            outputs.add(refused.getMessage());
        }
        // the REST API of the coordinator: every query's full info, failures and their causes included
        String queries = server.get("/v1/query");
        outputs.add(queries);
        Matcher queryIds = Pattern.compile("\"queryId\"\\s*:\\s*\"([^\"]+)\"").matcher(queries);
        int queryInfos = 0;
        while (queryIds.find()) {
            outputs.add(server.get("/v1/query/" + queryIds.group(1)));
            queryInfos++;
        }
        assertThat(queryInfos).isGreaterThan(5);
        for (Path log : server.logs()) {
            outputs.add(Files.readString(log));
        }
        assertThat(String.join("\n", outputs))
                .contains("ml_s3")
                .doesNotContain(S3ProxyServer.ACCESS_KEY)
                .doesNotContain(S3ProxyServer.SECRET_KEY)
                .doesNotContain(WRONG_SECRET);
    }

    private void assertRefused(Statement statement, byte[] model, int errorCode, String messagePart)
            throws Exception
    {
        Path file = server.upload("hostile.onnx", model);
        List<String> before = storeFiles();
        SQLException refused = catchSqlException(() -> run(statement, "CALL ml.system.register_model('hostile', '" + file + "')"));
        assertThat(refused.getErrorCode()).as(refused.getMessage()).isEqualTo(errorCode);
        assertThat(refused.getMessage())
                .contains(messagePart)
                .doesNotContain("onnxruntime_src")
                .doesNotContain(server.onyxHome().resolve("var/trino").toString());
        assertThat(storeFiles()).isEqualTo(before);
        assertThat(scalar(statement, "SELECT 1", Integer.class)).isEqualTo(1);
    }

    private static void assertFails(Statement statement, String sql, int errorCode, String message)
    {
        SQLException failure = catchSqlException(() -> run(statement, sql));
        assertThat(failure.getErrorCode()).as(failure.getMessage()).isEqualTo(errorCode);
        // the driver puts "Query failed (#id): " before the server's message
        assertThat(failure.getMessage()).endsWith(": " + message);
    }

    /**
     * Runs a statement to its end: the driver reports a failure that comes after the first rows when they are read.
     */
    private static void run(Statement statement, String sql)
            throws SQLException
    {
        if (statement.execute(sql)) {
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    rows.getObject(1);
                }
            }
        }
    }

    private static SQLException catchSqlException(ThrowingCallable action)
    {
        Throwable thrown = catchThrowable(action);
        assertThat(thrown).isInstanceOf(SQLException.class);
        return (SQLException) thrown;
    }

    private List<String> storeFiles()
            throws IOException
    {
        Path store = server.modelStore();
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).map(path -> store.relativize(path).toString()).sorted().toList();
        }
    }

    /**
     * The heap the coordinator uses now, after a collection, from its status resource.
     */
    private long heapUsed()
            throws Exception
    {
        Matcher heap = Pattern.compile("\"heapUsed\"\\s*:\\s*(\\d+)").matcher(server.get("/v1/status"));
        assertThat(heap.find()).isTrue();
        return Long.parseLong(heap.group(1));
    }

    private static String table(Statement statement, String sql)
            throws SQLException
    {
        StringBuilder text = new StringBuilder();
        try (ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int column = 1; column <= columns; column++) {
                    text.append(rows.getString(column)).append('\t');
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    /**
     * The largest difference between the {@code predict} table function of the catalog, scoring 'linear' over
     * tpch.tiny.nation, and the model's formula in SQL arithmetic.
     */
    private static double largestTableFunctionError(Statement statement, String catalog)
            throws SQLException
    {
        return scalar(statement, "SELECT max(abs(prediction - (0.5e0 * a - 1.25e0 * b + 2e0 * c + 0.75e0 * d + 3e0))) " +
                "FROM TABLE(" + catalog + ".system.predict(" +
                "input => TABLE(SELECT CAST(nationkey AS double) AS a, CAST(regionkey AS double) AS b, 1e0 AS c, -2e0 AS d FROM tpch.tiny.nation), " +
                "model => 'linear'))", Double.class);
    }
}
