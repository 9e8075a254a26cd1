package io.onyxml.spark;

import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A session whose model store is on S3 with a secret key: after registering, scoring, training, reading the catalog,
 * explaining plans and failing, the secret is in none of what Spark shows or logs (Onyx and the AWS SDK at debug).
 */
class TestCredentials
        extends OnyxSparkTestBase
{
    private S3ProxyServer s3;
    private Path uploads;

    @Override
    protected SparkSession.Builder configure(SparkSession.Builder builder)
            throws Exception
    {
        s3 = new S3ProxyServer(Files.createTempDirectory("onyx-spark-s3-"));
        s3.createBucket("models");
        uploads = Files.createTempDirectory("onyx-spark-uploads-").toRealPath();
        Files.write(uploads.resolve("linear.onnx"), TestModels.linearRegression());
        return builder
                .config("spark.sql.extensions", OnyxExtensions.class.getName())
                .config("spark.sql.catalog.ml", OnyxCatalog.class.getName())
                .config("spark.onyx.change-delay", "0ms")
                .config("spark.onyx.register-model.allowed-locations", uploads.toString())
                .config("spark.onyx.model-store", "s3://models/onyx")
                .config("spark.onyx.s3.endpoint", s3.endpoint())
                .config("spark.onyx.s3.region", "us-east-1")
                .config("spark.onyx.s3.path-style-access", "true")
                .config("spark.onyx.s3.aws-access-key", S3ProxyServer.ACCESS_KEY)
                .config("spark.onyx.s3.aws-secret-key", S3ProxyServer.SECRET_KEY);
    }

    @AfterAll
    void stopS3()
            throws Exception
    {
        s3.close();
        deleteRecursively(uploads, ALLOW_INSECURE);
    }

    @Test
    void theSecretKeyIsInNothingSparkShowsOrLogs()
    {
        StringWriter log = new StringWriter();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder()
                .setName("credentials-test")
                .setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n").build())
                .build();
        appender.start();
        configuration.addAppender(appender);
        LoggerConfig root = configuration.getRootLogger();
        Level rootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        Configurator.setLevel("io.onyxml", Level.DEBUG);
        Configurator.setLevel("software.amazon.awssdk", Level.DEBUG);
        List<String> shown = new ArrayList<>();
        try {
            shown.add(rows(spark.sql("CALL ml.system.register_model('linear', '" + uploads.resolve("linear.onnx") + "')")));
            String scoring = "SELECT predict('linear', 1e0, 2e0, 3e0, 4e0) AS p";
            shown.add(rows(spark.sql(scoring)));
            shown.add(rows(spark.sql("EXPLAIN EXTENDED " + scoring)));
            shown.add(spark.sql(scoring).queryExecution().toString());
            shown.add(rows(Onyx.predict(spark.sql("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "linear")));
            shown.add(rows(Onyx.trainModel(spark.sql("SELECT CAST(id AS double) AS a, 2e0 * id + 1 AS y FROM range(20)"), "trained", "y", "linear_regression", "")));
            for (String table : List.of("models", "model_versions", "orphan_files")) {
                shown.add(rows(spark.sql("SELECT * FROM ml.system." + table)));
            }
            // Spark hides settings whose names say secret (spark.redaction.regex): Onyx's name is one of them
            shown.add(rows(spark.sql("SET")));
            assertThatThrownBy(() -> spark.sql("SELECT predict('missing', 1e0, 2e0, 3e0, 4e0)").collect())
                    .satisfies(e -> shown.add(messages(e)));
            assertThatThrownBy(() -> spark.sql("CALL ml.system.register_model('other', 's3://elsewhere/secret.onnx')").collect())
                    .satisfies(e -> shown.add(messages(e)));
            shown.add(OnyxSparkConfig.from(spark).toString());
        }
        finally {
            root.removeAppender(appender.getName());
            Configurator.setLevel("io.onyxml", rootLevel);
            Configurator.setLevel("software.amazon.awssdk", rootLevel);
            appender.stop();
        }
        assertThat(log.toString()).contains("DEBUG software.amazon.awssdk").doesNotContain(S3ProxyServer.SECRET_KEY);
        assertThat(String.join("\n", shown))
                .contains("linear/1", "trained/1")
                .doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    private static String rows(Dataset<Row> rows)
    {
        return rows.collectAsList().toString();
    }

    private static String messages(Throwable failure)
    {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause).append('\n');
        }
        return text.toString();
    }
}
