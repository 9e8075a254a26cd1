package io.onyxml.trino.server;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * The plugin zip this module builds, installed in a real Trino 483 server: a JVM of its own that loads the plugin from
 * its plugin folder through Trino's plugin class loader (see {@link Trino483Server}), used over JDBC as a client
 * would. Predictions are checked against the model's formula computed here.
 */
@TestInstance(PER_CLASS)
class Trino483ServerIT
{
    // io.onyxml.trino.OnyxErrorCode.ONYX_MODEL_NOT_FOUND, as clients see it
    private static final int ONYX_MODEL_NOT_FOUND = 0x0700_0001;
    // rows of TPC-H's lineitem at scale factor 0.01
    private static final int LINEITEM_ROWS = 60_175;
    private static final String FEATURES = "quantity AS a, extendedprice AS b, discount AS c, tax AS d";

    private Path uploads;
    private Trino483Server server;

    @BeforeAll
    void startServer()
            throws Exception
    {
        Path scratch = Files.createTempDirectory("onyx-trino-483-");
        Path models = Files.createDirectories(scratch.resolve("models"));
        uploads = Files.createDirectories(scratch.resolve("uploads"));
        server = Trino483Server.start(scratch, ImmutableMap.of(
                "ml", """
                        connector.name=onyx
                        onyx.model-store=%s
                        onyx.register-model.allowed-locations=%s
                        """.formatted(models, uploads),
                "tpch", "connector.name=tpch\n",
                "memory", "connector.name=memory\n"));
    }

    @AfterAll
    void stopServer()
            throws Exception
    {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void loadsThePluginFromItsFolder()
            throws Exception
    {
        String plugin = System.getProperty("onyx.plugin.name");
        Path folder = server.pluginDirectory().resolve(plugin);
        assertThat(folder.resolve(plugin + ".jar")).isRegularFile();

        // the plugin manager logs each plugin folder it loads and, at debug level, each jar of its class loader
        List<String> messages = server.log().lines()
                .filter(line -> line.contains("\tio.trino.server.PluginManager\t"))
                .map(line -> line.substring(line.lastIndexOf('\t') + 1))
                .collect(toImmutableList());
        assertThat(messages).containsSubsequence(
                "-- Loading plugin " + plugin + " --",
                "Installing io.onyxml.trino.OnyxPlugin",
                "-- Finished loading plugin " + plugin + " --");
        List<Path> classPath = messages.stream()
                .filter(message -> message.startsWith("    "))
                .map(message -> Path.of(message.strip()))
                .filter(jar -> jar.getParent().getFileName().toString().equals(plugin))
                .collect(toImmutableList());
        assertThat(classPath).extracting(jar -> jar.getParent().toRealPath()).containsOnly(folder.toRealPath());
        assertThat(classPath).extracting(jar -> jar.getFileName().toString()).containsExactlyInAnyOrderElementsOf(fileNames(folder));
        // and nothing else can have loaded it: the server's own classpath, trino-main and its dependencies, holds no class of Onyx
        assertThat(jarsHolding(server.libDirectory(), "io/trino/server/Server.class")).containsExactly("io.trino.trino-main-483.jar");
        assertThat(jarsHolding(server.libDirectory(), "io/onyxml/")).isEmpty();

        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            assertThat(scalar(statement, "SELECT node_version FROM system.runtime.nodes", String.class)).isEqualTo("483");
            assertThat(scalar(statement, "SELECT connector_name FROM system.metadata.catalogs WHERE catalog_name = 'ml'", String.class)).isEqualTo("onyx");
            assertThat(column(statement, "SHOW FUNCTIONS FROM ml.system"))
                    .contains("predict", "predict_label", "predict_proba", "predict_vector");
        }
    }

    @Test
    void registersScoresAndListsAModel()
            throws Exception
    {
        byte[] model = TestModels.linearRegression();
        Path file = Files.write(uploads.resolve("linear.onnx"), model);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('linear', '" + file + "', 'a linear model', 'regression', ARRAY['a', 'b', 'c', 'd'])");
            statement.execute("CALL ml.system.set_alias('linear', 'production', 1)");

            // the scalar function, its results written to a table of another connector and read back
            assertThat(statement.executeLargeUpdate("CREATE TABLE memory.default.scores AS " +
                    "SELECT orderkey, linenumber, " + FEATURES + ", ml.system.predict('linear@production', quantity, extendedprice, discount, tax) AS prediction " +
                    "FROM tpch.tiny.lineitem"))
                    .isEqualTo(LINEITEM_ROWS);
            Map<String, Double> scalar = checkPredictions(statement, "SELECT orderkey, linenumber, a, b, c, d, prediction FROM memory.default.scores");

            // the table function, features bound to the input's columns by name
            Map<String, Double> table = checkPredictions(statement, "SELECT orderkey, linenumber, a, b, c, d, prediction " +
                    "FROM TABLE(ml.system.predict(input => TABLE(SELECT orderkey, linenumber, " + FEATURES + " FROM tpch.tiny.lineitem), model => 'linear@production'))");

            // every row of lineitem scored once by each
            assertThat(scalar).hasSize(LINEITEM_ROWS);
            assertThat(table.keySet()).isEqualTo(scalar.keySet());

            try (ResultSet models = statement.executeQuery("SELECT name, latest_version, version_count, aliases, task, description FROM ml.system.models")) {
                assertThat(models.next()).isTrue();
                assertThat(models.getString("name")).isEqualTo("linear");
                assertThat(models.getLong("latest_version")).isEqualTo(1);
                assertThat(models.getLong("version_count")).isEqualTo(1);
                assertThat(models.getObject("aliases")).isEqualTo(Map.of("latest", 1L, "production", 1L));
                assertThat(models.getString("task")).isEqualTo("regression");
                assertThat(models.getString("description")).isEqualTo("a linear model");
                assertThat(models.next()).isFalse();
            }
            // loaded on the one node, which scored rows in the JVM (scalar) and batches with ONNX Runtime (table function)
            try (ResultSet loaded = statement.executeQuery("SELECT node_id, version, sha256, device, row_evaluator, batch_evaluator FROM ml.system.loaded_models WHERE name = 'linear'")) {
                assertThat(loaded.next()).isTrue();
                assertThat(loaded.getString("node_id")).isEqualTo("onyx-483");
                assertThat(loaded.getLong("version")).isEqualTo(1);
                assertThat(loaded.getString("sha256")).isEqualTo(Hashing.sha256().hashBytes(model).toString());
                assertThat(loaded.getString("device")).isEqualTo("cpu");
                assertThat(loaded.getString("row_evaluator")).isEqualTo("compiled");
                assertThat(loaded.getString("batch_evaluator")).isEqualTo("onnxruntime");
                assertThat(loaded.next()).isFalse();
            }
        }
    }

    @Test
    void anUnknownModelFailsWithOnyxErrorCode()
            throws Exception
    {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            Throwable thrown = catchThrowable(() -> run(statement, "SELECT ml.system.predict('nope', quantity, extendedprice, discount, tax) FROM tpch.tiny.lineitem"));
            assertThat(thrown).isInstanceOf(SQLException.class);
            SQLException failure = (SQLException) thrown;
            assertThat(failure.getErrorCode()).as(failure.getMessage()).isEqualTo(ONYX_MODEL_NOT_FOUND);
            // the driver puts "Query failed (#id): " before the server's message
            assertThat(failure.getMessage()).endsWith(": Model 'nope' does not exist");

            Matcher queryId = Pattern.compile("^Query failed \\(#([^)]+)\\)").matcher(failure.getMessage());
            assertThat(queryId.find()).as(failure.getMessage()).isTrue();
            try (ResultSet query = statement.executeQuery("SELECT state, error_type, error_code FROM system.runtime.queries WHERE query_id = '" + queryId.group(1) + "'")) {
                assertThat(query.next()).isTrue();
                assertThat(query.getString("state")).isEqualTo("FAILED");
                assertThat(query.getString("error_type")).isEqualTo("USER_ERROR");
                assertThat(query.getString("error_code")).isEqualTo("ONYX_MODEL_NOT_FOUND");
                assertThat(query.next()).isFalse();
            }
        }
    }

    /**
     * Reads rows of {@code orderkey, linenumber, a, b, c, d, prediction}, checks each prediction against the model's
     * formula (within float rounding: the model computes in float) and returns them by {@code orderkey/linenumber}.
     */
    private static Map<String, Double> checkPredictions(Statement statement, String sql)
            throws SQLException
    {
        Map<String, Double> predictions = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String key = rows.getLong("orderkey") + "/" + rows.getInt("linenumber");
                double expected = TestModels.linearReference(rows.getDouble("a"), rows.getDouble("b"), rows.getDouble("c"), rows.getDouble("d"));
                double prediction = rows.getDouble("prediction");
                assertThat(rows.wasNull()).as(key).isFalse();
                assertThat(prediction).as(key).isCloseTo(expected, within(1e-6 * Math.max(1, Math.abs(expected))));
                assertThat(predictions.put(key, prediction)).as("a second row for " + key).isNull();
            }
        }
        return predictions;
    }

    private static List<String> fileNames(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).collect(toImmutableList());
        }
    }

    /**
     * The names of the jars of a folder that hold an entry whose name starts with {@code prefix}.
     */
    private static List<String> jarsHolding(Path directory, String prefix)
            throws IOException
    {
        ImmutableList.Builder<String> found = ImmutableList.builder();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path jar : files.sorted().toList()) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    if (zip.stream().anyMatch(entry -> entry.getName().startsWith(prefix))) {
                        found.add(jar.getFileName().toString());
                    }
                }
            }
        }
        return found.build();
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

    private static List<String> column(Statement statement, String sql)
            throws SQLException
    {
        ImmutableList.Builder<String> values = ImmutableList.builder();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values.build();
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
}
