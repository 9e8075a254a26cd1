package io.onyxml.spark.scenario;

import io.onyxml.spark.Onyx;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelTask;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.S3Options;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A Spark application using Onyx as a user does, with Spark's jars and the shaded Onyx jar, nothing else:
 * {@code ShadedJarIT} compiles this file against those jars alone and runs it with {@code java -cp} and through
 * Spark's {@code SparkSubmit --jars}. It uses only public API (a package of its own, so nothing package-private).
 * <p>
 * Arguments are {@code key=value}: {@code store} (the model store directory), {@code model} (an ONNX file of the
 * linear model with features a, b, c, d), {@code features} (a CSV of id, a, b, c, d to score), {@code training} (a
 * CSV of a, b, y to train on), {@code classes} (comma-separated class names to locate), {@code s3-endpoint},
 * {@code s3-access-key}, {@code s3-secret-key}, {@code s3-bucket} and {@code s3-prefix} (an empty place on an S3
 * server). Every step prints lines starting with {@code "onyx> "}
 * that the test checks; the test computes the expected values itself. To check more, add a step to
 * {@link #steps()}.
 */
public final class OnyxSparkScenario
{
    private static final String OUTPUT = "onyx> ";

    private OnyxSparkScenario() {}

    public static void main(String[] args)
            throws Exception
    {
        Map<String, String> arguments = new HashMap<>();
        for (String argument : args) {
            int equals = argument.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("Arguments are key=value: " + argument);
            }
            arguments.put(argument.substring(0, equals), argument.substring(equals + 1));
        }
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("onyx-shaded-jar")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.extensions", "io.onyxml.spark.OnyxExtensions")
                .config("spark.sql.catalog.ml", "io.onyxml.spark.OnyxCatalog")
                .config("spark.onyx.model-store", argument(arguments, "store"))
                .config("spark.onyx.change-delay", "0ms")
                .config("spark.onyx.device", "cpu")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Context context = new Context(spark, arguments);
            for (Map.Entry<String, Step> step : steps().entrySet()) {
                print("step " + step.getKey());
                step.getValue().run(context);
            }
        }
        finally {
            spark.stop();
        }
        print("done");
    }

    private static Map<String, Step> steps()
    {
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("classes", OnyxSparkScenario::locateClasses);
        steps.put("register", OnyxSparkScenario::registerModel);
        steps.put("predict", OnyxSparkScenario::predict);
        steps.put("train", OnyxSparkScenario::trainModel);
        steps.put("sql", OnyxSparkScenario::sql);
        steps.put("xgboost", OnyxSparkScenario::xgboost);
        steps.put("s3", OnyxSparkScenario::s3Store);
        return steps;
    }

    /**
     * Where each named class comes from: {@code onyx} (the jar that holds {@link Onyx}), {@code absent}, or the
     * file name of the jar that holds it.
     */
    private static void locateClasses(Context context)
            throws URISyntaxException
    {
        Path onyx = location(Onyx.class.getProtectionDomain().getCodeSource());
        for (String name : context.argument("classes").split(",")) {
            String origin;
            try {
                // this class's loader: the application class loader under java -cp, Spark's loader of the jars under spark-submit
                Path location = location(Class.forName(name, false, OnyxSparkScenario.class.getClassLoader()).getProtectionDomain().getCodeSource());
                origin = location.equals(onyx) ? "onyx" : location.getFileName().toString();
            }
            catch (ClassNotFoundException e) {
                origin = "absent";
            }
            print("class " + name + " " + origin);
        }
    }

    private static void registerModel(Context context)
            throws Exception
    {
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(Path.of(context.argument("store"))))) {
            ModelManifest manifest = store.register(
                    "linear",
                    ModelSource.of(Path.of(context.argument("model"))),
                    RegisterOptions.builder().task(ModelTask.REGRESSION).featureNames(List.of("a", "b", "c", "d")).build());
            print("registered " + manifest.reference());
        }
    }

    private static void predict(Context context)
    {
        Dataset<Row> features = context.spark().read()
                .option("header", "true")
                .schema("id INT, a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE")
                .csv(context.argument("features"));
        features.createOrReplaceTempView("features");
        for (Row row : Onyx.predict(features.repartition(2), "linear").collectAsList()) {
            print("predict " + row.getInt(0) + " " + row.getDouble(row.fieldIndex("prediction")));
        }
    }

    private static void trainModel(Context context)
    {
        Dataset<Row> training = context.spark().read()
                .option("header", "true")
                .schema("a DOUBLE, b DOUBLE, y DOUBLE")
                .csv(context.argument("training"));
        Row result = Onyx.trainModel(training.repartition(3), "trained", "y", "linear_regression", "").collectAsList().get(0);
        Map<String, Double> metrics = result.getJavaMap(result.fieldIndex("metrics"));
        print("trained " + result.getString(0) + " " + result.getLong(result.fieldIndex("training_rows")) + " " + metrics.get("r2"));
        Dataset<Row> features = context.spark().table("features").select("id", "a", "b");
        for (Row row : Onyx.predict(features, "trained").collectAsList()) {
            print("predict-trained " + row.getInt(0) + " " + row.getDouble(row.fieldIndex("prediction")));
        }
    }

    /**
     * Onyx in Spark SQL, enabled by configuration alone: the functions of {@code spark.sql.extensions}, the catalog's
     * tables and procedures.
     */
    private static void sql(Context context)
    {
        SparkSession spark = context.spark();
        spark.sql("CALL ml.system.set_alias(name => 'linear', alias => 'production', version => 1)").collect();
        for (Row row : spark.sql("SELECT id, predict('linear@production', a, b, c, d) FROM features").collectAsList()) {
            print("sql " + row.getInt(0) + " " + row.getDouble(1));
        }
        for (Row row : spark.sql("SELECT name, latest_version FROM ml.system.models ORDER BY name").collectAsList()) {
            print("catalog " + row.getString(0) + " " + row.getLong(1));
        }
    }

    /**
     * XGBoost4J (not relocated: JNI) loads its native library from the jar and trains; its Booster implements the
     * relocated Kryo's KryoSerializable.
     */
    private static void xgboost(Context context)
            throws Exception
    {
        int rows = 8;
        float[] data = new float[rows * 2];
        float[] labels = new float[rows];
        for (int row = 0; row < rows; row++) {
            data[2 * row] = row;
            data[2 * row + 1] = row % 3;
            labels[row] = 2 * row + 1;
        }
        DMatrix matrix = new DMatrix(data, rows, 2, Float.NaN);
        try {
            matrix.setLabel(labels);
            Map<String, Object> parameters = Map.of("objective", "reg:squarederror", "max_depth", 2, "nthread", 1);
            Booster booster = XGBoost.train(matrix, parameters, 3, Map.of(), null, null);
            try {
                float[][] predictions = booster.predict(matrix);
                boolean finite = true;
                for (float[] prediction : predictions) {
                    finite &= Float.isFinite(prediction[0]);
                }
                print("xgboost " + predictions.length + " " + finite);
            }
            finally {
                booster.dispose();
            }
        }
        finally {
            matrix.dispose();
        }
    }

    /**
     * A model store on S3 through the relocated AWS SDK and HTTP client.
     */
    private static void s3Store(Context context)
            throws Exception
    {
        S3Options options = S3Options.DEFAULTS
                .withEndpoint(context.argument("s3-endpoint"))
                .withRegion("us-east-1")
                .withPathStyleAccess(true)
                .withCredentials(context.argument("s3-access-key"), context.argument("s3-secret-key"));
        ModelStoreConfig config = ModelStoreConfig.of("s3://" + context.argument("s3-bucket") + "/" + context.argument("s3-prefix"), options);
        try (ModelStore store = ModelStore.open(config)) {
            ModelManifest registered = store.register("linear", ModelSource.of(Path.of(context.argument("model"))), RegisterOptions.builder().task(ModelTask.REGRESSION).build());
            ModelManifest resolved = store.resolve("linear");
            print("s3 " + registered.reference() + " " + resolved.reference() + " " + resolved.sha256().equals(registered.sha256()));
        }
    }

    private static Path location(CodeSource source)
            throws URISyntaxException
    {
        return Path.of(source.getLocation().toURI());
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

    private interface Step
    {
        void run(Context context)
                throws Exception;
    }

    private record Context(SparkSession spark, Map<String, String> arguments)
    {
        String argument(String key)
        {
            return OnyxSparkScenario.argument(arguments, key);
        }
    }
}
