package io.onyxml.integration;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.integration.Queries.scalar;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

/**
 * Models move between Trino and Spark with equal results. A real Trino cluster with the plugin zip
 * ({@link OnyxCluster}) and a Spark application in a JVM of its own, on the Onyx jar for Spark and Spark's jars alone
 * (as {@code spark-submit --jars} runs one), share one model store in an S3-protocol server: the {@code ml} catalog's
 * {@code s3://models/onyx}, given to Spark as {@code spark.onyx.model-store} with the same S3 settings.
 * <ol>
 * <li>Trino registers {@link TestModels#linearRegression()}; both engines score it on the same rows, one with a NULL
 * feature.</li>
 * <li>Both engines train linear and logistic regression and k-means on the same rows (a number column, a NULL in it,
 * a text column) with the same options: Trino with {@code train_model} on a table of {@code VALUES}, Spark with
 * {@code Onyx.trainModel} (linear regression) and {@code CALL ml.system.train_model} (the others) on the same rows
 * read from a CSV file.</li>
 * <li>Each engine scores all six models on rows with a NULL number, a NULL text and an unseen category: Trino with the
 * scalar functions (features in a {@code ROW}) and the table function, Spark with the SQL functions (features in a
 * {@code named_struct}).</li>
 * </ol>
 * The engines are compared call for call: ONNX Runtime's result for a row can differ in the last bit with the batch it
 * is scored in (its vectorised kernels treat a batch's tail apart; measured here: 4 of the logistic model's 60
 * probabilities differ between one row per call and 20), so Trino's scalar functions, one row per call, meet Spark's
 * SQL functions with {@code spark.onyx.batch-size=1}, and Trino's table function, the 20 rows of one page in one call,
 * meets Spark's SQL functions on one partition of the same 20 rows. Both pairs must be equal to the bit.
 * <p>
 * The Spark application ({@code src/test/spark/CrossEngineScenario.java}) runs once, between Trino's training and
 * Trino's scoring, and prints what it found; the tests compare the two engines' answers with each other and with
 * values computed here.
 */
@TestInstance(PER_CLASS)
abstract class CrossEngineScenarios
{
    @RegisterExtension
    static final SharedClusters CLUSTERS = new SharedClusters();

    private static final String LINEAR_OPTIONS = "l2=0.01";
    private static final String LOGISTIC_OPTIONS = "l2=0.1, max_iter=50";
    private static final String KMEANS_OPTIONS = "k=3, seed=42, n_init=2";
    private static final List<String> ENGINES = ImmutableList.of("trino", "spark");
    private static final List<String> DIRECTIONS = ImmutableList.of("north", "east", "south", "west");
    private static final List<String> LEVELS = ImmutableList.of("high", "low", "mid");
    private static final String FEATURES_AS_ROW = "CAST(ROW(a, b, c) AS ROW(a double, b double, c varchar))";

    private static final List<FeatureRow> FEATURE_ROWS = IntStream.rangeClosed(1, 20)
            .mapToObj(id -> new FeatureRow(id, id * 0.5, round(Math.sin(id), 3), id % 3, id == 9 ? null : -0.25 * id))
            .collect(toImmutableList());
    private static final List<ScoringRow> SCORING_ROWS = IntStream.rangeClosed(1, 20)
            .mapToObj(id -> new ScoringRow(
                    id,
                    round(0.9 * id - 3, 3),
                    id == 7 ? null : round(5 * Math.sin(0.8 * id), 3),
                    direction(id)))
            .collect(toImmutableList());
    private static final List<TrainingRow> TRAINING_ROWS = IntStream.range(0, 200)
            .mapToObj(TrainingRow::generate)
            .collect(toImmutableList());

    private OnyxCluster cluster;
    private final Map<String, Training> trainings = new HashMap<>();
    // one row per model call: Trino's scalar functions, Spark's with spark.onyx.batch-size=1
    private final Scores trinoScalar = new Scores();
    private final Scores sparkRows = new Scores();
    // the 20 rows in one call: Trino's table function on one page, Spark's SQL functions on one partition
    private final Scores trinoTable = new Scores();
    private final Scores sparkBatches = new Scores();

    abstract SharedClusters.Kind kind();

    @BeforeAll
    void runBothEngines()
            throws Exception
    {
        cluster = CLUSTERS.get(kind());
        Path directory = Files.createTempDirectory("trino-and-spark-");
        try (S3Client client = cluster.s3().client()) {
            client.putObject(request -> request.bucket("uploads").key("team/linear.onnx"), RequestBody.fromBytes(TestModels.linearRegression()));
        }
        try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CALL ml.system.register_model('linear', 's3://uploads/team/linear.onnx', 'registered by Trino', 'regression', ARRAY['a', 'b', 'c', 'd'])");
            createTable(statement, "features", "id integer, a double, b double, c double, d double", FEATURE_ROWS.stream().map(FeatureRow::values));
            createTable(statement, "scoring", "id integer, a double, b double, c varchar", SCORING_ROWS.stream().map(ScoringRow::values));
            createTable(statement, "training", "a double, b double, c varchar, y double, level varchar", TRAINING_ROWS.stream().map(TrainingRow::values));
            trainInTrino(statement, "trino_linear", "linear_regression", "y", "SELECT a, b, c, y FROM memory.default.training", LINEAR_OPTIONS);
            trainInTrino(statement, "trino_logistic", "logistic_regression", "level", "SELECT a, b, c, level FROM memory.default.training", LOGISTIC_OPTIONS);
            trainInTrino(statement, "trino_kmeans", "kmeans", null, "SELECT a, b, c FROM memory.default.training", KMEANS_OPTIONS);

            List<String> output = SparkProgram.fromBuild().run(
                    Path.of(System.getProperty("onyx.cross-engine-scenario")),
                    Files.createDirectories(directory.resolve("spark")),
                    List.of(
                            "store=s3://models/onyx",
                            "conf.spark.onyx.s3.endpoint=" + cluster.s3().endpoint(),
                            "conf.spark.onyx.s3.region=us-east-1",
                            "conf.spark.onyx.s3.path-style-access=true",
                            "conf.spark.onyx.s3.aws-access-key=" + S3ProxyServer.ACCESS_KEY,
                            "conf.spark.onyx.s3.aws-secret-key=" + S3ProxyServer.SECRET_KEY,
                            "features=" + writeCsv(directory.resolve("features.csv"), "id,a,b,c,d", FEATURE_ROWS.stream().map(FeatureRow::values)),
                            "scoring=" + writeCsv(directory.resolve("scoring.csv"), "id,a,b,c", SCORING_ROWS.stream().map(ScoringRow::values)),
                            "training=" + writeCsv(directory.resolve("training.csv"), "a,b,c,y,level", TRAINING_ROWS.stream().map(TrainingRow::values)),
                            "linear-options=" + LINEAR_OPTIONS,
                            "logistic-options=" + LOGISTIC_OPTIONS,
                            "kmeans-options=" + KMEANS_OPTIONS),
                    Duration.ofMinutes(5));
            readSparkOutput(output);

            awaitVersionsInEffect(statement, List.of("spark_linear", "spark_logistic", "spark_kmeans"));
            scoreInTrino(statement);
        }
    }

    @Test
    void scoresARegisteredModelEquallyInBothEngines()
    {
        assertThat(sparkRows.predictions("linear")).isEqualTo(trinoScalar.predictions("linear"));
        assertThat(sparkBatches.predictions("linear")).isEqualTo(trinoTable.predictions("linear"));

        for (Map<Integer, Double> predictions : List.of(trinoScalar.predictions("linear"), trinoTable.predictions("linear"))) {
            assertThat(predictions).hasSameSizeAs(FEATURE_ROWS);
            for (FeatureRow row : FEATURE_ROWS) {
                if (row.d() == null) {
                    assertThat(predictions).containsEntry(row.id(), null);
                }
                else {
                    // the model computes in float
                    assertThat(predictions.get(row.id())).as("row %s", row.id()).isCloseTo(TestModels.linearReference(row.a(), row.b(), row.c(), row.d()), within(1e-4));
                }
            }
        }
    }

    @Test
    void scoresEachTrainedModelInTheOtherEngineAsInTheEngineThatTrainedIt()
    {
        // every model, trained by either engine, scored by both
        for (String engine : ENGINES) {
            for (String model : List.of(engine + "_linear", engine + "_kmeans")) {
                assertThat(trinoScalar.predictions(model)).as(model).hasSameSizeAs(SCORING_ROWS).doesNotContainValue(null);
                assertThat(sparkRows.predictions(model)).as(model).isEqualTo(trinoScalar.predictions(model));
                assertThat(sparkBatches.predictions(model)).as(model).isEqualTo(trinoTable.predictions(model));
            }
            String logistic = engine + "_logistic";
            assertThat(trinoScalar.labels(logistic)).as(logistic).hasSameSizeAs(SCORING_ROWS).doesNotContainValue(null);
            assertThat(sparkRows.labels(logistic)).as(logistic).isEqualTo(trinoScalar.labels(logistic));
            assertThat(sparkBatches.labels(logistic)).as(logistic).isEqualTo(trinoTable.labels(logistic));
            assertThat(trinoScalar.probabilities(logistic)).as(logistic).hasSameSizeAs(SCORING_ROWS).doesNotContainValue(null);
            assertThat(sparkRows.probabilities(logistic)).as(logistic).isEqualTo(trinoScalar.probabilities(logistic));
            assertThat(sparkBatches.probabilities(logistic)).as(logistic).isEqualTo(trinoTable.probabilities(logistic));
        }
    }

    @Test
    void trainsTheSameModelsFromTheSameRows()
    {
        for (String kind : List.of("linear", "logistic", "kmeans")) {
            Training trinoTrained = trainings.get("trino_" + kind);
            Training sparkTrained = trainings.get("spark_" + kind);
            assertThat(trinoTrained.version()).isEqualTo("trino_" + kind + "/1");
            assertThat(sparkTrained.version()).isEqualTo("spark_" + kind + "/1");
            assertThat(trinoTrained.rows()).isEqualTo(TRAINING_ROWS.size());
            assertThat(sparkTrained.rows()).isEqualTo(TRAINING_ROWS.size());
            assertThat(trinoTrained.features()).containsExactly("a", "b", "c");
            assertThat(sparkTrained.features()).containsExactly("a", "b", "c");
            assertThat(sparkTrained.clusterSizes()).as(kind).isEqualTo(trinoTrained.clusterSizes());
        }

        Map<Integer, Double> trinoLinear = trinoScalar.predictions("trino_linear");
        Map<Integer, Double> sparkLinear = trinoScalar.predictions("spark_linear");
        for (ScoringRow row : SCORING_ROWS) {
            // 1e-6 relative
            assertThat(sparkLinear.get(row.id())).as("row %s", row.id()).isCloseTo(trinoLinear.get(row.id()), withinPercentage(1e-4));
            if (row.b() != null && DIRECTIONS.contains(row.c())) {
                // the rows' formula, up to their noise
                assertThat(trinoLinear.get(row.id())).as("row %s", row.id()).isCloseTo(TrainingRow.formula(row.a(), row.b(), row.c()), within(0.5));
            }
        }

        Map<Integer, Map<String, Double>> trinoLogistic = trinoScalar.probabilities("trino_logistic");
        Map<Integer, Map<String, Double>> sparkLogistic = trinoScalar.probabilities("spark_logistic");
        for (ScoringRow row : SCORING_ROWS) {
            Map<String, Double> trinoTrained = trinoLogistic.get(row.id());
            Map<String, Double> sparkTrained = sparkLogistic.get(row.id());
            assertThat(trinoTrained.keySet()).containsExactlyElementsOf(LEVELS);
            assertThat(sparkTrained.keySet()).containsExactlyElementsOf(LEVELS);
            assertThat(trinoTrained.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-9));
            for (String level : LEVELS) {
                assertThat(sparkTrained.get(level)).as("row %s, %s", row.id(), level).isCloseTo(trinoTrained.get(level), within(1e-4));
            }
        }
        assertThat(trinoScalar.labels("trino_logistic").values()).containsAll(LEVELS);

        assertThat(trinoScalar.predictions("spark_kmeans")).isEqualTo(trinoScalar.predictions("trino_kmeans"));
        assertThat(Set.copyOf(trinoScalar.predictions("trino_kmeans").values())).containsExactlyInAnyOrder(0.0, 1.0, 2.0);
        assertThat(trainings.get("trino_kmeans").clusterSizes()).hasSize(3);
        assertThat(trainings.get("trino_kmeans").clusterSizes().stream().mapToLong(Long::longValue).sum()).isEqualTo(TRAINING_ROWS.size());
    }

    private void trainInTrino(Statement statement, String model, String algorithm, String label, String input, String options)
            throws SQLException
    {
        String sql = format("SELECT model, training_rows, features, cluster_sizes FROM TABLE(train_model(input => TABLE(%s), model => '%s', algorithm => '%s', %s options => '%s'))",
                input,
                model,
                algorithm,
                label == null ? "" : "label => '" + label + "',",
                options);
        try (ResultSet result = statement.executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            Array clusterSizes = result.getArray("cluster_sizes");
            trainings.put(model, new Training(
                    result.getString("model"),
                    result.getLong("training_rows"),
                    List.of((Object[]) result.getArray("features").getArray()).stream().map(String.class::cast).collect(toImmutableList()),
                    clusterSizes == null ? List.of() : List.of((Object[]) clusterSizes.getArray()).stream().map(Long.class::cast).collect(toImmutableList())));
            assertThat(result.next()).isFalse();
        }
    }

    /**
     * Lines of {@code CrossEngineScenario}: {@code predict <batching> <model> <id> <value>}, {@code predict_label
     * <batching> <model> <id> <label>}, {@code predict_proba <batching> <model> <id> <label>=<p>,...} (batching
     * {@code batch} or {@code row}), {@code trained <version> <rows> <features> <cluster sizes>}, then {@code done}.
     */
    private void readSparkOutput(List<String> output)
    {
        assertThat(output).last().isEqualTo("done");
        for (String line : output.subList(0, output.size() - 1)) {
            String[] fields = line.split(" ");
            if (fields[0].equals("trained")) {
                trainings.put(fields[1].substring(0, fields[1].indexOf('/')), new Training(
                        fields[1],
                        Long.parseLong(fields[2]),
                        List.of(fields[3].split(",")),
                        fields[4].equals("-") ? List.of() : Stream.of(fields[4].split(",")).map(Long::valueOf).collect(toImmutableList())));
                continue;
            }
            Scores spark = switch (fields[1]) {
                case "batch" -> sparkBatches;
                case "row" -> sparkRows;
                default -> throw new AssertionError("Unexpected line from the Spark program: " + line);
            };
            String model = fields[2];
            int id = Integer.parseInt(fields[3]);
            switch (fields[0]) {
                case "predict" -> Scores.add(spark.predictions, model, id, fields[4].equals("null") ? null : Double.valueOf(fields[4]));
                case "predict_label" -> Scores.add(spark.labels, model, id, fields[4]);
                case "predict_proba" -> {
                    Map<String, Double> probabilities = new TreeMap<>();
                    for (String entry : fields[4].split(",")) {
                        String[] parts = entry.split("=");
                        probabilities.put(parts[0], Double.valueOf(parts[1]));
                    }
                    Scores.add(spark.probabilities, model, id, probabilities);
                }
                default -> throw new AssertionError("Unexpected line from the Spark program: " + line);
            }
        }
    }

    /**
     * Waits until a query starting now resolves the models' versions: a reference resolves as of its query's start
     * ({@code current_timestamp}) to versions created by then, and a version is stamped with the moment it takes effect,
     * {@code spark.onyx.change-delay} after it is written, by the writer's clock.
     */
    private static void awaitVersionsInEffect(Statement statement, List<String> models)
            throws Exception
    {
        String sql = format("SELECT count(*) FROM ml.system.model_versions WHERE name IN (%s) AND created_at <= current_timestamp",
                models.stream().map(model -> "'" + model + "'").collect(joining(", ")));
        Polling.await("the versions of " + models + " are in effect for Trino", Duration.ofSeconds(30), () -> scalar(statement, sql, Long.class) == models.size());
    }

    private void scoreInTrino(Statement statement)
            throws SQLException
    {
        trinoScalar.predictions.put("linear", column(statement, "SELECT id, predict('linear', a, b, c, d) FROM memory.default.features", CrossEngineScenarios::toDouble));
        trinoTable.predictions.put("linear", column(statement, "SELECT id, prediction FROM TABLE(predict(input => TABLE(SELECT id, a, b, c, d FROM memory.default.features), model => 'linear'))", CrossEngineScenarios::toDouble));
        for (String engine : ENGINES) {
            String linear = engine + "_linear";
            String logistic = engine + "_logistic";
            String kmeans = engine + "_kmeans";
            trinoScalar.predictions.put(linear, column(statement, scalarQuery("predict", linear), CrossEngineScenarios::toDouble));
            trinoScalar.labels.put(logistic, column(statement, scalarQuery("predict_label", logistic), String.class::cast));
            trinoScalar.probabilities.put(logistic, column(statement, scalarQuery("predict_proba", logistic), CrossEngineScenarios::toProbabilities));
            trinoScalar.predictions.put(kmeans, column(statement, scalarQuery("predict", kmeans), CrossEngineScenarios::toDouble));
            trinoTable.predictions.put(linear, column(statement, tableFunctionQuery(linear, "prediction"), CrossEngineScenarios::toDouble));
            trinoTable.labels.put(logistic, column(statement, tableFunctionQuery(logistic, "label"), String.class::cast));
            trinoTable.probabilities.put(logistic, column(statement, tableFunctionQuery(logistic, "probabilities"), CrossEngineScenarios::toProbabilities));
            // the table function returns k-means' cluster as a bigint, predict as a double
            trinoTable.predictions.put(kmeans, column(statement, tableFunctionQuery(kmeans, "cluster"), CrossEngineScenarios::toDouble));
        }
    }

    private static String scalarQuery(String function, String model)
    {
        return format("SELECT id, %s('%s', %s) FROM memory.default.scoring", function, model, FEATURES_AS_ROW);
    }

    private static String tableFunctionQuery(String model, String column)
    {
        return format("SELECT id, %s FROM TABLE(predict(input => TABLE(SELECT id, a, b, c FROM memory.default.scoring), model => '%s'))", column, model);
    }

    /**
     * The second column of a query's rows by their id, the first.
     */
    private static <T> Map<Integer, T> column(Statement statement, String sql, Function<Object, T> conversion)
            throws SQLException
    {
        Map<Integer, T> values = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Object value = rows.getObject(2);
                assertThat(values.put(rows.getInt(1), value == null ? null : conversion.apply(value))).isNull();
            }
        }
        return values;
    }

    private static Double toDouble(Object value)
    {
        return ((Number) value).doubleValue();
    }

    private static Map<String, Double> toProbabilities(Object value)
    {
        Map<String, Double> probabilities = new TreeMap<>();
        ((Map<?, ?>) value).forEach((label, probability) -> probabilities.put((String) label, (Double) probability));
        return probabilities;
    }

    private static void createTable(Statement statement, String name, String columns, Stream<List<Object>> rows)
            throws SQLException
    {
        statement.execute(format("CREATE TABLE memory.default.%s (%s)", name, columns));
        statement.execute(format("INSERT INTO memory.default.%s VALUES %s", name, rows
                .map(values -> values.stream().map(CrossEngineScenarios::sqlLiteral).collect(joining(", ", "(", ")")))
                .collect(joining(", "))));
    }

    /**
     * A value as Trino reads it back exactly: a double as its shortest decimal form with an exponent (which makes it
     * a double, not a decimal, literal), as Spark's CSV reader parses the same text.
     */
    private static String sqlLiteral(Object value)
    {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String) {
            return "'" + value + "'";
        }
        if (value instanceof Double && !value.toString().contains("E")) {
            return value + "E0";
        }
        return value.toString();
    }

    private static Path writeCsv(Path file, String header, Stream<List<Object>> rows)
            throws IOException
    {
        StringBuilder csv = new StringBuilder(header).append('\n');
        // an empty field is NULL for Spark's CSV reader
        rows.forEach(values -> csv.append(values.stream().map(value -> value == null ? "" : value.toString()).collect(joining(","))).append('\n'));
        return Files.writeString(file, csv);
    }

    /**
     * A scoring row's text feature: a NULL, a category no training row has, or one they have.
     */
    private static String direction(int id)
    {
        if (id == 13) {
            return null;
        }
        return id == 17 ? "up" : DIRECTIONS.get(id % 4);
    }

    private static double round(double value, int digits)
    {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    /**
     * What each engine answered for each model, by row id: {@code predict}, {@code predict_label} and
     * {@code predict_proba}; NULL kept as a null value.
     */
    private static final class Scores
    {
        private final Map<String, Map<Integer, Double>> predictions = new HashMap<>();
        private final Map<String, Map<Integer, String>> labels = new HashMap<>();
        private final Map<String, Map<Integer, Map<String, Double>>> probabilities = new HashMap<>();

        Map<Integer, Double> predictions(String model)
        {
            return found(predictions, model);
        }

        Map<Integer, String> labels(String model)
        {
            return found(labels, model);
        }

        Map<Integer, Map<String, Double>> probabilities(String model)
        {
            return found(probabilities, model);
        }

        static <T> void add(Map<String, Map<Integer, T>> scores, String model, int id, T value)
        {
            scores.computeIfAbsent(model, ignored -> new HashMap<>()).put(id, value);
        }

        private static <T> Map<Integer, T> found(Map<String, Map<Integer, T>> scores, String model)
        {
            assertThat(scores).as("scores of %s", model).containsKey(model);
            return scores.get(model);
        }
    }

    private record Training(String version, long rows, List<String> features, List<Long> clusterSizes) {}

    private record FeatureRow(int id, double a, double b, double c, Double d)
    {
        List<Object> values()
        {
            return Arrays.asList(id, a, b, c, d);
        }
    }

    private record ScoringRow(int id, double a, Double b, String c)
    {
        List<Object> values()
        {
            return Arrays.asList(id, a, b, c);
        }
    }

    /**
     * A training row: a linear formula of a, b and c plus noise (y) and its level, with a NULL b now and then.
     */
    private record TrainingRow(double a, Double b, String c, double y, String level)
    {
        static TrainingRow generate(int i)
        {
            double a = round((i % 23) * 0.41 + 2 * Math.sin(0.7 * i), 3);
            Double b = i % 61 == 5 ? null : round(5 * Math.cos(1.3 * i) + 0.01 * i, 3);
            String c = DIRECTIONS.get((7 * i) % 4);
            double y = round(formula(a, b == null ? 0 : b, c) + 0.5 * Math.sin(12.9898 * i), 4);
            return new TrainingRow(a, b, c, y, y < 24 ? "low" : y < 30 ? "mid" : "high");
        }

        static double formula(double a, double b, String c)
        {
            double offset = switch (c) {
                case "north" -> 0;
                case "east" -> 2;
                case "south" -> -1.5;
                default -> 3;
            };
            return 20 + 1.5 * a - 0.8 * b + offset;
        }

        List<Object> values()
        {
            return Arrays.asList(a, b, c, y, level);
        }
    }
}
