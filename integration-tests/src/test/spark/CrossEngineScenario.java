import io.onyxml.spark.Onyx;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * The Spark half of {@code CrossEngineScenarios}: a Spark application that enables Onyx by configuration alone, as a user
 * does with {@code spark-submit --jars onyx-spark.jar --conf ...}, and uses it from SQL only, on the model store that
 * a Trino cluster's {@code ml} catalog uses. The test runs it with the Java source launcher on the Onyx jar for Spark
 * and Spark's own jars, nothing else.
 * <p>
 * Arguments are {@code key=value}: {@code store} (the model store's location), {@code conf.<property>} (more Spark
 * settings, e.g. {@code conf.spark.onyx.s3.endpoint}), {@code features} (a CSV of id, a, b,
 * c, d), {@code scoring} (a CSV of id, a, b, c), {@code training} (a CSV of a, b, c, y, level), and the training
 * options {@code linear-options}, {@code logistic-options} and {@code kmeans-options}. It
 * <ol>
 * <li>trains {@code spark_linear} (label y) on the rows of {@code training} with {@code Onyx.trainModel} on a
 * DataFrame, {@code spark_logistic} (label level) and {@code spark_kmeans} with {@code CALL ml.system.train_model};</li>
 * <li>scores the model {@code linear} (features a, b, c, d), which Trino registered, on the rows of {@code features}
 * with {@code predict('linear', a, b, c, d)}, and the three models it trained and the three Trino trained on the same
 * rows ({@code trino_linear}, {@code trino_logistic}, {@code trino_kmeans}) on the rows of {@code scoring}, features
 * bound by name ({@code named_struct});</li>
 * <li>scores them all again with {@code spark.onyx.batch-size=1}, one row per model call, as Trino's scalar
 * functions do.</li>
 * </ol>
 * What it finds is printed on lines starting with {@code "onyx> "}, doubles in full precision
 * ({@link Double#toString}), SQL NULL as {@code null}, the batching as {@code batch} or {@code row}: {@code predict
 * <batching> <model> <id> <value>}, {@code predict_label <batching> <model> <id> <label>}, {@code predict_proba
 * <batching> <model> <id> <label>=<probability>,...} (labels sorted), {@code trained <version> <training rows>
 * <features> <cluster sizes>} (lists comma-separated, {@code -} for none), and {@code done} at the end.
 */
public final class CrossEngineScenario
{
    private static final String OUTPUT = "onyx> ";
    private static final List<String> ENGINES = List.of("trino", "spark");

    private CrossEngineScenario() {}

    public static void main(String[] args)
    {
        Map<String, String> arguments = new HashMap<>();
        for (String argument : args) {
            int equals = argument.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Arguments are key=value: " + argument);
            }
            arguments.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        SparkSession.Builder builder = SparkSession.builder();
        arguments.forEach((key, value) -> {
            if (key.startsWith("conf.")) {
                builder.config(key.substring("conf.".length()), value);
            }
        });
        SparkSession spark = builder
                .master("local[2]")
                .appName("onyx-trino-and-spark")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.extensions", "io.onyxml.spark.OnyxExtensions")
                .config("spark.sql.catalog.ml", "io.onyxml.spark.OnyxCatalog")
                .config("spark.onyx.model-store", argument(arguments, "store"))
                .config("spark.onyx.device", "cpu")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            // the rows to score in one partition, in the file's order
            view(spark, "features", argument(arguments, "features"), "id INT, a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE", 1);
            view(spark, "scoring", argument(arguments, "scoring"), "id INT, a DOUBLE, b DOUBLE, c STRING", 1);
            // several partitions: training merges what each partition summarises
            view(spark, "training", argument(arguments, "training"), "a DOUBLE, b DOUBLE, c STRING, y DOUBLE, level STRING", 3);

            // the DataFrame API, then SQL
            printTraining(Onyx.trainModel(spark.table("training").select("a", "b", "c", "y"), "spark_linear", "y", "linear_regression", argument(arguments, "linear-options")));
            train(spark, "spark_logistic", "logistic_regression", "'level'", "SELECT a, b, c, level FROM training", argument(arguments, "logistic-options"));
            train(spark, "spark_kmeans", "kmeans", "NULL", "SELECT a, b, c FROM training", argument(arguments, "kmeans-options"));

            // in batches of up to spark.onyx.batch-size rows (4096 by default), then one row per model call, as Trino's scalar functions score
            score(spark, "batch");
            spark.conf().set("spark.onyx.batch-size", "1");
            score(spark, "row");
        }
        finally {
            spark.stop();
        }
        print("done");
    }

    private static void view(SparkSession spark, String name, String csv, String schema, int partitions)
    {
        Dataset<Row> rows = spark.read().option("header", "true").schema(schema).csv(csv);
        (partitions == 1 ? rows.coalesce(1) : rows.repartition(partitions)).createOrReplaceTempView(name);
    }

    private static void train(SparkSession spark, String model, String algorithm, String label, String input, String options)
    {
        printTraining(spark.sql("CALL ml.system.train_model(input => '" + input + "', model => '" + model + "', algorithm => '" + algorithm + "', label => " + label + ", options => '" + options + "')"));
    }

    private static void printTraining(Dataset<Row> training)
    {
        Row result = training.collectAsList().get(0);
        int clusterSizes = result.fieldIndex("cluster_sizes");
        print("trained " + result.getString(result.fieldIndex("model"))
                + " " + result.getLong(result.fieldIndex("training_rows"))
                + " " + String.join(",", result.<String>getList(result.fieldIndex("features")))
                + " " + (result.isNullAt(clusterSizes) ? "-" : result.<Long>getList(clusterSizes).stream().map(String::valueOf).collect(joining(","))));
    }

    private static void score(SparkSession spark, String batching)
    {
        printValues(spark, "predict", batching, "linear", "SELECT id, predict('linear', a, b, c, d) FROM features");
        for (String engine : ENGINES) {
            printValues(spark, "predict", batching, engine + "_linear", scoringQuery("predict", engine + "_linear"));
            printValues(spark, "predict_label", batching, engine + "_logistic", scoringQuery("predict_label", engine + "_logistic"));
            printProbabilities(spark, batching, engine + "_logistic", scoringQuery("predict_proba", engine + "_logistic"));
            printValues(spark, "predict", batching, engine + "_kmeans", scoringQuery("predict", engine + "_kmeans"));
        }
    }

    private static String scoringQuery(String function, String model)
    {
        return "SELECT id, " + function + "('" + model + "', named_struct('a', a, 'b', b, 'c', c)) FROM scoring";
    }

    private static void printValues(SparkSession spark, String function, String batching, String model, String query)
    {
        for (Row row : spark.sql(query).collectAsList()) {
            print(function + " " + batching + " " + model + " " + row.getInt(0) + " " + (row.isNullAt(1) ? "null" : String.valueOf(row.get(1))));
        }
    }

    private static void printProbabilities(SparkSession spark, String batching, String model, String query)
    {
        for (Row row : spark.sql(query).collectAsList()) {
            Map<String, Double> probabilities = new TreeMap<>(row.getJavaMap(1));
            print("predict_proba " + batching + " " + model + " " + row.getInt(0) + " " + probabilities.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue())
                    .collect(joining(",")));
        }
    }

    private static String argument(Map<String, String> arguments, String key)
    {
        return requireNonNull(arguments.get(key), () -> "Missing argument " + key + "=...");
    }

    private static void print(String line)
    {
        System.out.println(OUTPUT + line);
        System.out.flush();
    }
}
