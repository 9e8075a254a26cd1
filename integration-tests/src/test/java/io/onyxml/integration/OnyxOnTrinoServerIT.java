package io.onyxml.integration;

import com.google.common.hash.Hashing;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
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
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
    private S3ProxyServer s3;
    private TrinoServer server;

    @BeforeAll
    void startServers()
            throws Exception
    {
        s3 = new S3ProxyServer(Files.createTempDirectory("onyx-s3-"));
        s3.createBucket("models");
        s3.createBucket("uploads");

        Path etc = Files.createTempDirectory("onyx-etc-");
        copyDirectory(Path.of(System.getProperty("onyx.etc.directory")), etc);
        Files.writeString(etc.resolve("catalog/ml_s3.properties"), """
                connector.name=onyx
                onyx.model-store=s3://models/onyx
                onyx.s3.endpoint=%s
                onyx.s3.region=us-east-1
                onyx.s3.path-style-access=true
                onyx.s3.aws-access-key=%s
                onyx.s3.aws-secret-key=%s
                """.formatted(s3.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));

        Path serverHome = Path.of(System.getProperty("trino.server.home"));
        TrinoServer.extract(Path.of(System.getProperty("trino.server.tarball")), serverHome);
        server = new TrinoServer(serverHome, etc, Files.createTempDirectory("onyx-home-"));
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
        Path plugin = Path.of(System.getProperty("trino.server.home"), "plugin", "onyx-trino-" + System.getProperty("onyx.version"));
        try (Stream<Path> jars = Files.list(plugin)) {
            assertThat(jars.map(jar -> jar.getFileName().toString()).filter(name -> name.startsWith("onnxruntime")))
                    .singleElement()
                    .satisfies(name -> assertThat(name).matches("onnxruntime(_gpu)?-[0-9.]+\\.jar"));
        }
    }

    @Test
    void registersPredictsAndListsModels()
            throws Exception
    {
        Path model = server.onyxHome().resolve("linear.onnx");
        Files.write(model, TestModels.linearRegression());
        Path classifier = server.onyxHome().resolve("iris.onnx");
        Files.write(classifier, TestModels.classifier());
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('linear', '" + model + "', 'a linear model', 'regression', ARRAY['a', 'b', 'c', 'd'])");
            statement.execute("CALL ml.system.register_model('iris', '" + classifier + "')");
            statement.execute("CALL ml.system.set_alias('linear', 'production', 1)");

            // the server's sql.path (etc/config.properties) lets predict be called unqualified
            assertThat(scalar(statement, "SELECT predict('linear@production', 1, 2, 3, 4)", Double.class))
                    .isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
            assertThat(largestTableFunctionError(statement, "ml")).isLessThan(1e-3);
            assertThat(scalar(statement, "SELECT predict_label('iris', 5.1, 3.5, 1.4, 0.2)", String.class)).isEqualTo(TestModels.classifierLabel(5.1, 3.5, 1.4, 0.2));

            try (ResultSet models = statement.executeQuery("SELECT name, latest_version, aliases, description FROM ml.system.models ORDER BY name")) {
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

    private static void copyDirectory(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(path, copy);
                }
            }
        }
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

    private static <T> T scalar(Statement statement, String sql, Class<T> type)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            T value = result.getObject(1, type);
            assertThat(result.next()).isFalse();
            return value;
        }
    }
}
