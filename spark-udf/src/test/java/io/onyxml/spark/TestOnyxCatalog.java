package io.onyxml.spark;

import com.google.common.hash.Hashing;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The model catalog in Spark SQL ({@code spark.sql.catalog.ml=io.onyxml.spark.OnyxCatalog}): the tables with
 * Trino's columns and every procedure, in a local[2] session.
 */
class TestOnyxCatalog
        extends OnyxSparkTestBase
{
    private Path uploads;
    private Path linearFile;

    @Override
    protected SparkSession.Builder configure(SparkSession.Builder builder)
            throws IOException
    {
        uploads = Files.createTempDirectory("onyx-spark-uploads-").toRealPath();
        linearFile = Files.write(uploads.resolve("linear.onnx"), TestModels.linearRegression());
        return builder
                .config("spark.sql.extensions", OnyxExtensions.class.getName())
                .config("spark.sql.catalog.ml", OnyxCatalog.class.getName())
                .config("spark.onyx.change-delay", "0ms")
                .config("spark.onyx.register-model.allowed-locations", uploads.toString())
                .config("spark.user.groups.mapping", TestingGroups.class.getName());
    }

    @AfterAll
    void deleteUploads()
            throws IOException
    {
        deleteRecursively(uploads, ALLOW_INSECURE);
    }

    @Test
    void registerAliasScoreAndDrop()
            throws Exception
    {
        List<Row> registered = spark.sql("CALL ml.system.register_model(name => 'houses', uri => '" + linearFile + "', description => 'house prices', feature_names => array('a', 'b', 'c', 'd'))").collectAsList();
        String sha256 = Hashing.sha256().hashBytes(Files.readAllBytes(linearFile)).toString();
        assertThat(registered).containsExactly(RowFactory.create("houses/1", 1L, sha256));
        spark.sql("CALL ml.system.register_model('houses', '" + linearFile + "', 'again', 'regression')").collect();
        spark.sql("CALL ml.system.set_alias('houses', 'production', 1)").collect();

        Row model = spark.sql("SELECT name, latest_version, version_count, aliases, task, description FROM ml.system.models WHERE name = 'houses'").collectAsList().get(0);
        assertThat(model.getString(0)).isEqualTo("houses");
        assertThat(model.getLong(1)).isEqualTo(2);
        assertThat(model.getLong(2)).isEqualTo(2);
        assertThat(model.<String, Long>getJavaMap(3)).isEqualTo(Map.of("latest", 2L, "production", 1L));
        assertThat(model.getString(4)).isEqualTo("regression");
        assertThat(model.getString(5)).isEqualTo("again");

        List<Row> versions = spark.sql("SELECT version, aliases, sha256, size_bytes, feature_names, handles_missing_values FROM ml.system.model_versions WHERE name = 'houses' ORDER BY version").collectAsList();
        assertThat(versions).hasSize(2);
        // who registered each version: the application's Spark user
        assertThat(spark.sql("SELECT DISTINCT registered_by FROM ml.system.model_versions WHERE name = 'houses'").collectAsList())
                .containsExactly(RowFactory.create(spark.sparkContext().sparkUser()));
        assertThat(versions.get(0).getLong(0)).isEqualTo(1);
        assertThat(versions.get(0).<String>getList(1)).containsExactly("production");
        assertThat(versions.get(0).getString(2)).isEqualTo(sha256);
        assertThat(versions.get(0).getLong(3)).isEqualTo(Files.size(linearFile));
        assertThat(versions.get(0).<String>getList(4)).containsExactly("a", "b", "c", "d");
        assertThat(versions.get(0).getBoolean(5)).isFalse();
        assertThat(spark.sql("SHOW TABLES IN ml.system").collectAsList().stream().map(row -> row.getString(1)).toList())
                .containsExactlyInAnyOrder("models", "model_versions", "orphan_files");

        double score = spark.sql("SELECT predict('houses@production', 1, 2, 3, 4)").collectAsList().get(0).getDouble(0);
        assertThat(score).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));

        spark.sql("CALL ml.system.drop_alias(name => 'houses', alias => 'production')").collect();
        assertThat(store.aliases("houses")).doesNotContainKey("production");
        spark.sql("CALL ml.system.drop_model_version('houses', 1)").collect();
        assertThat(store.listVersions("houses")).hasSize(1);
        spark.sql("CALL ml.system.drop_model('houses')").collect();
        assertThat(spark.sql("SELECT * FROM ml.system.models WHERE name = 'houses'").collectAsList()).isEmpty();
    }

    @Test
    void theProceduresAreMethodsForCode()
    {
        ModelManifest manifest = Onyx.registerModel(spark, "coded", linearFile.toString(), RegisterOptions.builder().featureNames(TestModels.LINEAR_FEATURES).build());
        assertThat(manifest.reference().toString()).isEqualTo("coded/1");
        Onyx.registerModel(spark, "coded", linearFile.toString(), RegisterOptions.DEFAULTS);
        Onyx.setAlias(spark, "coded", "production", 1);
        assertThat(store.aliases("coded")).containsEntry("production", 1);
        Onyx.dropAlias(spark, "coded", "production");
        assertThat(store.aliases("coded")).doesNotContainKey("production");
        Onyx.dropModelVersion(spark, "coded", 1, false);
        assertThat(store.listVersions("coded")).extracting(ModelManifest::version).containsExactly(2);
        Onyx.dropModel(spark, "coded");
        assertThat(store.listModels()).noneMatch(model -> model.name().equals("coded"));
    }

    @Test
    void trainAndEvaluateInSql()
    {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("a", DataTypes.DoubleType, false),
                DataTypes.createStructField("b", DataTypes.DoubleType, false),
                DataTypes.createStructField("noise", DataTypes.DoubleType, false),
                DataTypes.createStructField("y", DataTypes.DoubleType, false)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            rows.add(RowFactory.create(i * 1.0, Math.sin(i), Math.cos(i * 3), 2 * i - 5 * Math.sin(i) + 7));
        }
        spark.createDataFrame(rows, schema).repartition(3).createOrReplaceTempView("training_rows");

        Row trained = spark.sql("CALL ml.system.train_model(input => 'training_rows', model => 'sql_linear', label => 'y', algorithm => 'linear_regression', features => array('a', 'b'))").collectAsList().get(0);
        assertThat(trained.getString(0)).isEqualTo("sql_linear/1");
        assertThat(trained.getString(1)).isEqualTo("linear_regression");
        assertThat(trained.getLong(2)).isEqualTo(120);
        assertThat(trained.<String>getList(3)).containsExactly("a", "b");
        assertThat(trained.<String, Double>getJavaMap(5).get("r2")).isCloseTo(1, within(1e-9));
        assertThat(spark.sql("SELECT predict('sql_linear', named_struct('a', 10.0, 'b', 0.5))").collectAsList().get(0).getDouble(0)).isCloseTo(2 * 10 - 5 * 0.5 + 7, within(1e-6));

        Row fromQuery = spark.sql("CALL ml.system.train_model('SELECT a, b, y FROM training_rows WHERE a < 60', 'sql_linear', 'linear_regression', 'y')").collectAsList().get(0);
        assertThat(fromQuery.getString(0)).isEqualTo("sql_linear/2");
        assertThat(fromQuery.getLong(2)).isEqualTo(60);

        Row evaluated = spark.sql("CALL ml.system.evaluate(input => 'SELECT a, b, y + 1 AS y FROM training_rows', model => 'sql_linear/1', label => 'y')").collectAsList().get(0);
        assertThat(evaluated.getLong(0)).isEqualTo(120);
        assertThat(evaluated.<String, Double>getJavaMap(1).get("rmse")).isCloseTo(1, within(1e-6));
    }

    @Test
    void followsTheAccessRules()
            throws Exception
    {
        store.register("secret_model", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        String user = spark.sparkContext().sparkUser();
        Path rules = Files.writeString(uploads.resolve("rules.json"), """
                {"models": [
                    {"user": "%s", "model": "team_.*", "privileges": ["READ", "CREATE"]},
                    {"group": "scientists", "model": "lab_.*", "privileges": ["READ", "CREATE"]},
                    {"role": "admin", "privileges": ["READ", "CREATE", "MANAGE"]}
                ]}
                """.formatted(user));
        spark.conf().set("spark.onyx.security.rules-file", rules.toString());
        try {
            spark.sql("CALL ml.system.register_model('team_churn', '" + linearFile + "')").collect();
            // by the user's group, as Spark's group mapping gives it
            spark.sql("CALL ml.system.register_model('lab_churn', '" + linearFile + "')").collect();
            assertThatThrownBy(() -> spark.sql("CALL ml.system.drop_model('lab_churn')").collect())
                    .hasMessageContaining("Cannot manage model 'lab_churn'");
            assertThat(spark.sql("SELECT predict('team_churn', 1, 2, 3, 4)").collectAsList().get(0).getDouble(0))
                    .isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
            assertThat(spark.sql("SELECT name FROM ml.system.models ORDER BY name").collectAsList()).containsExactly(RowFactory.create("lab_churn"), RowFactory.create("team_churn"));
            assertThat(spark.sql("SELECT DISTINCT name FROM ml.system.model_versions ORDER BY name").collectAsList()).containsExactly(RowFactory.create("lab_churn"), RowFactory.create("team_churn"));

            // what the user may not read answers as what does not exist
            for (String model : List.of("secret_model", "no_such_model")) {
                assertThatThrownBy(() -> spark.sql("SELECT predict('" + model + "', 1, 2, 3, 4)").collect())
                        .hasMessageContaining("Cannot use model '" + model + "': not found or access denied");
            }
            assertThatThrownBy(() -> Onyx.predict(spark.sql("SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3"), "secret_model").collect())
                    .hasMessageContaining("Cannot use model 'secret_model': not found or access denied");
            assertThatThrownBy(() -> spark.sql("CALL ml.system.register_model('secret_model', '" + linearFile + "')").collect())
                    .hasMessageContaining("Cannot add versions to model 'secret_model'");
            assertThatThrownBy(() -> spark.sql("CALL ml.system.set_alias('team_churn', 'production', 1)").collect())
                    .hasMessageContaining("Cannot manage model 'team_churn'");
            assertThatThrownBy(() -> spark.sql("CALL ml.system.drop_model('team_churn')").collect())
                    .hasMessageContaining("Cannot manage model 'team_churn'");
            assertThatThrownBy(() -> Onyx.trainModel(spark.sql("SELECT 1e0 AS a, 2e0 AS y"), "secret_model", "y", "linear_regression", null))
                    .hasMessageContaining("Cannot add versions to model 'secret_model'");
        }
        finally {
            spark.conf().unset("spark.onyx.security.rules-file");
        }
        // nothing the denied calls asked for happened
        assertThat(store.listVersions("secret_model")).hasSize(1);
        assertThat(store.aliases("team_churn")).doesNotContainKey("production");
        spark.sql("CALL ml.system.drop_model('team_churn')").collect();
        spark.sql("CALL ml.system.drop_model('lab_churn')").collect();
        spark.sql("CALL ml.system.drop_model('secret_model')").collect();
    }

    @Test
    void errors()
            throws Exception
    {
        Path outside = Files.createTempFile("onyx-outside-", ".onnx");
        try {
            Files.write(outside, TestModels.linearRegression());
            assertThatThrownBy(() -> spark.sql("CALL ml.system.register_model('outside', '" + outside + "')"))
                    .hasMessageContaining("is not in a location models may be registered from").hasMessageContaining("(spark.onyx.register-model.allowed-locations)");
        }
        finally {
            Files.delete(outside);
        }
        assertThat(store.listModels()).noneMatch(model -> model.name().equals("outside"));
        spark.conf().set("spark.onyx.max-model-file-size", "100B");
        try {
            assertThatThrownBy(() -> spark.sql("CALL ml.system.register_model('large', '" + linearFile + "')"))
                    .hasMessageContaining("Model file " + linearFile + " has " + Files.size(linearFile) + " bytes, more than the 100 bytes a model may have (spark.onyx.max-model-file-size)");
        }
        finally {
            spark.conf().unset("spark.onyx.max-model-file-size");
        }
        assertThat(store.listModels()).noneMatch(model -> model.name().equals("large"));
        assertThatThrownBy(() -> spark.sql("CALL ml.system.register_model('bad', '" + linearFile + "', task => 'astrology')"))
                .hasMessageContaining("Unknown task 'astrology': use regression, classification, clustering, embedding or other");
        assertThatThrownBy(() -> spark.sql("CALL ml.system.set_alias('nope', 'production', 1)"))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> spark.sql("CALL ml.system.set_alias('nope', 'production', NULL)"))
                .hasMessageContaining("version cannot be null");
        assertThatThrownBy(() -> spark.sql("CALL ml.system.no_such_procedure()"))
                .hasMessageContaining("no_such_procedure");
        assertThatThrownBy(() -> spark.sql("CALL ml.system.train_model(input => 'no_such_table', model => 'x', algorithm => 'linear_regression', label => 'y')"))
                .hasMessageContaining("no_such_table");
        assertThatThrownBy(() -> spark.sql("SELECT * FROM ml.system.nope"))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> spark.sql("CREATE TABLE ml.system.mine (a INT)").collect())
                .hasMessageContaining("is read-only");
    }
}
