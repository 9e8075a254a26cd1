package io.onyxml.trino;

import com.google.common.hash.Hashing;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.testing.TestModels;
import io.trino.Session;
import io.trino.spi.security.Identity;
import io.trino.testing.MaterializedResult;
import io.trino.testing.MaterializedRow;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.trino.spi.StandardErrorCode.NOT_SUPPORTED;
import static io.trino.spi.StandardErrorCode.SCHEMA_NOT_FOUND;
import static io.trino.spi.StandardErrorCode.TABLE_NOT_FOUND;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The model catalog in SQL: the procedures that change it and the tables that show it.
 */
final class TestModelCatalog
        extends AbstractOnyxQueryTest
{
    @Override
    protected void registerModels() {}

    @Test
    void registersVersionsAndMovesAliases()
            throws Exception
    {
        Path file = upload("linear.onnx", TestModels.linearRegression());
        String sha256 = Hashing.sha256().hashBytes(TestModels.linearRegression()).toString();

        assertUpdate("CALL ml.system.register_model('houses', '" + file + "', 'house prices')");
        // another user registers the second version
        assertUpdate(Session.builder(getSession()).setIdentity(Identity.ofUser("bob")).build(), "CALL system.register_model(name => 'houses', uri => '" + file.toUri() + "')");

        MaterializedRow model = onlyRow("SELECT name, latest_version, version_count, aliases, task, description FROM ml.system.models WHERE name = 'houses'");
        assertThat(model.getFields()).containsExactly("houses", 2L, 2L, Map.of("latest", 2L), "other", null);

        MaterializedResult versions = computeActual("SELECT version, sha256, size_bytes, inputs, outputs, feature_names, description, metrics, onnx_ir_version FROM ml.system.model_versions WHERE name = 'houses' ORDER BY version");
        assertThat(versions.getMaterializedRows()).hasSize(2);
        assertThat(computeActual("SELECT registered_by FROM ml.system.model_versions WHERE name = 'houses' ORDER BY version").getOnlyColumn().toList())
                .containsExactly(getSession().getUser(), "bob");
        assertThat(versions.getMaterializedRows().get(0).getFields()).containsExactly(
                1L, sha256, (long) TestModels.linearRegression().length, List.of("x float[N,4]"), List.of("y float[N,1]"), List.of("x_0", "x_1", "x_2", "x_3"), "house prices", "{}", 8L);

        assertUpdate("CALL ml.system.set_alias('houses', 'production', 1)");
        assertThat(onlyRow("SELECT aliases FROM ml.system.models WHERE name = 'houses'").getField(0)).isEqualTo(Map.of("latest", 2L, "production", 1L));
        assertThat((Double) computeScalar("SELECT predict('houses@production', 1, 2, 3, 4)")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
        assertThat(onlyRow("SELECT aliases FROM ml.system.model_versions WHERE name = 'houses' AND version = 1").getField(0)).isEqualTo(List.of("production"));

        assertQueryFails("CALL ml.system.drop_model_version('houses', 1)", "Version 1 of model 'houses' is used by alias production; point the alias elsewhere or drop it first, or force the deletion");
        assertUpdate("CALL ml.system.drop_alias('houses', 'production')");
        assertQueryFails("SELECT predict('houses@production', 1, 2, 3, 4)", "Model 'houses' has no alias 'production'; its aliases: latest");
        assertUpdate("CALL ml.system.drop_model_version('houses', 1)");
        assertThat(computeActual("SELECT version FROM ml.system.model_versions WHERE name = 'houses'").getOnlyColumnAsSet()).containsExactly(2L);
        assertQueryFails("SELECT predict('houses/1', 1, 2, 3, 4)", "Version 1 of model 'houses' was deleted; existing versions: 2");

        assertUpdate("CALL ml.system.set_alias('houses', 'staging', 2)");
        assertUpdate("CALL ml.system.drop_model_version('houses', 2, true)");
        assertThat(computeActual("SELECT name FROM ml.system.models WHERE name = 'houses'").getRowCount()).isZero();
    }

    @Test
    void dropsModels()
            throws Exception
    {
        Path file = upload("trees.onnx", TestModels.treeEnsemble());
        assertUpdate("CALL ml.system.register_model('trees', '" + file + "')");
        assertThat(onlyRow("SELECT task FROM ml.system.models WHERE name = 'trees'").getField(0)).isEqualTo("regression");
        assertUpdate("CALL ml.system.register_model(name => 'trees', uri => '" + file + "', task => 'other', feature_names => ARRAY['width', 'height', 'depth'])");
        assertThat(onlyRow("SELECT task, feature_names FROM ml.system.model_versions WHERE name = 'trees' AND version = 2").getFields())
                .containsExactly("other", List.of("width", "height", "depth"));
        assertThat((Double) computeScalar("SELECT predict('trees', CAST(ROW(0.5, 2.0, -1.0) AS ROW(width double, height double, depth double)))"))
                .isCloseTo(TestModels.treeEnsembleReference(0.5f, 2.0f, -1.0f), within(1e-6));
        assertUpdate("CALL ml.system.register_model(name => 'trees', uri => '" + file + "', handles_missing_values => true)");
        assertThat(onlyRow("SELECT handles_missing_values FROM ml.system.model_versions WHERE name = 'trees' AND version = 3").getField(0)).isEqualTo(true);
        // the trees send a missing x0 (NaN) down the "false" branch: 0.5 + 3.0 + 0.25
        assertThat((Double) computeScalar("SELECT predict('trees', NULL, 2.0, -0.5)")).isCloseTo(3.75, within(1e-6));
        assertQueryFails("CALL ml.system.register_model(name => 'trees', uri => '" + file + "', task => 'astrology')", "Unknown task 'astrology': use regression, classification, clustering, embedding or other");
        assertQueryFails("CALL ml.system.register_model(name => 'trees', uri => '" + file + "', feature_names => ARRAY['one'])", "Model 'trees' takes 3 features \\(inputs: x float\\[N,3\\]\\), but 1 feature names were given");
        assertUpdate("CALL ml.system.drop_model('trees')");
        assertQueryFails("SELECT predict('trees', 1, 2, 3)", "Model 'trees' does not exist");
        assertQueryFails("CALL ml.system.drop_model('trees')", "Model 'trees' does not exist");
    }

    @Test
    void rejectsBadArgumentsAndChangesNothing()
            throws Exception
    {
        Path notOnnx = upload("not-a-model.onnx", "this is not a model".getBytes(UTF_8));
        long before = (Long) computeScalar("SELECT count(*) FROM ml.system.model_versions");

        assertQueryFails("CALL ml.system.register_model('broken', '" + notOnnx + "')", "The ONNX file for model 'broken' \\(" + notOnnx + "\\) is not .*ONNX model.*");
        assertQueryFails("CALL ml.system.register_model('broken', '" + uploads.resolve("missing.onnx") + "')", "Model file " + uploads.resolve("missing.onnx") + " does not exist");
        assertQueryFails("CALL ml.system.register_model('Bad/Name', '" + notOnnx + "')", "Invalid model name 'Bad/Name': use 1 to 128 characters .*");
        assertQueryFails("CALL ml.system.register_model(NULL, 'x')", "name cannot be null");
        assertQueryFails("CALL ml.system.set_alias('broken', 'latest', 1)", "Alias 'latest' is maintained by the model store .*");
        assertQueryFails("CALL ml.system.set_alias('nope', 'production', 1)", "Model 'nope' does not exist");
        assertQueryFails("CALL ml.system.set_alias('nope', 'production', -1)", "version must be a version number, got -1");

        assertThat(computeScalar("SELECT count(*) FROM ml.system.model_versions")).isEqualTo(before);
        assertThat(computeActual("SELECT name FROM ml.system.models WHERE name = 'broken'").getRowCount()).isZero();
    }

    @Test
    void neverScoresAFileThatFailsItsChecksum()
            throws Exception
    {
        // a file no other model shares, so no session loaded from a verified copy exists
        ModelManifest manifest = register("tampered", TestModels.mlp(4, 4, 1, 99).bytes(), RegisterOptions.DEFAULTS);
        Files.write(storeDirectory.resolve("models/tampered").resolve(manifest.modelFile()), TestModels.doubleLinear());
        assertQueryFails("SELECT predict('tampered', 1, 2, 3, 4)", "The ONNX file of model tampered/1 fails its checksum .*");
    }

    @Test
    void showsWhereLoadedModelsRun()
    {
        register("shown", TestModels.linearRegression(), RegisterOptions.DEFAULTS);
        computeActual("SELECT predict('shown', 1, 2, 3, 4)");
        MaterializedResult loaded = computeActual("SELECT DISTINCT name, version, device, fallback_reason FROM ml.system.loaded_models WHERE name = 'shown'");
        assertThat(loaded.getMaterializedRows()).isNotEmpty();
        assertThat(loaded.getMaterializedRows()).allSatisfy(row -> assertThat(row.getFields()).containsExactly("shown", 1L, "cpu", null));

        // when it was loaded, and how often and when last it was used, per node
        String usage = "SELECT sum(hits), max(last_used), bool_and(loaded_at <= last_used AND last_used <= current_timestamp) FROM ml.system.loaded_models WHERE name = 'shown'";
        MaterializedRow first = onlyRow(usage);
        assertThat((Long) first.getField(0)).isPositive();
        assertThat(first.getField(2)).isEqualTo(true);
        computeActual("SELECT * FROM TABLE(predict(input => TABLE(SELECT 1e0 AS x_0, 2e0 AS x_1, 3e0 AS x_2, 4e0 AS x_3), model => 'shown'))");
        MaterializedRow second = onlyRow(usage);
        assertThat((Long) second.getField(0)).isGreaterThan((Long) first.getField(0));
        assertThat(second.getField(2)).isEqualTo(true);
    }

    @Test
    void behavesLikeATrinoCatalog()
    {
        assertThat(query("SELECT * FROM ml.system.model"))
                .failure()
                .hasErrorCode(TABLE_NOT_FOUND)
                .hasMessageContaining("Table 'ml.system.model' does not exist");
        assertThat(query("SELECT * FROM ml.nope.models"))
                .failure()
                .hasErrorCode(SCHEMA_NOT_FOUND)
                .hasMessageContaining("Schema 'nope' does not exist");
        assertThat(query("CREATE TABLE ml.system.mine (x integer)")).failure().hasErrorCode(NOT_SUPPORTED);
        assertThat(query("CREATE SCHEMA ml.mine")).failure().hasErrorCode(NOT_SUPPORTED);
        assertThat(query("INSERT INTO ml.system.models (name) VALUES ('forged')")).failure().hasErrorCode(NOT_SUPPORTED);
        assertThat(query("DELETE FROM ml.system.model_versions")).failure().hasErrorCode(NOT_SUPPORTED);
        assertThat(query("DROP TABLE ml.system.models")).failure().hasErrorCode(NOT_SUPPORTED);
        assertThat(computeActual("SHOW TABLES FROM ml.system").getOnlyColumnAsSet()).contains("models", "model_versions", "loaded_models", "orphan_files");
        assertThat(computeActual("SHOW SCHEMAS FROM ml").getOnlyColumnAsSet()).contains("system");
    }

    @Test
    void aFilterOnTheNameReadsOnlyThatModel()
            throws Exception
    {
        register("wanted", TestModels.linearRegression(), RegisterOptions.DEFAULTS);
        ModelManifest broken = register("broken_manifest", TestModels.linearRegression(), RegisterOptions.DEFAULTS);
        Path manifest = storeDirectory.resolve("models/broken_manifest/versions/00000001.json");
        Files.writeString(manifest, "{", UTF_8);
        try {
            // the other model's manifest is never read
            assertThat(computeScalar("SELECT latest_version FROM ml.system.models WHERE name = 'wanted'")).isEqualTo(1L);
            assertThat(computeScalar("SELECT sha256 FROM ml.system.model_versions WHERE name IN ('wanted', 'missing')")).isEqualTo(broken.sha256());
            assertThat(query("SELECT * FROM ml.system.model_versions")).failure().hasErrorCode(OnyxErrorCode.ONYX_MANIFEST_CORRUPT);
        }
        finally {
            store.deleteModel("broken_manifest");
        }
    }

    @Test
    void removesOrphanFiles()
            throws Exception
    {
        ModelManifest kept = register("orphaned", TestModels.linearRegression(), RegisterOptions.DEFAULTS);
        // as a registration that died between upload and commit leaves it
        Path orphan = Files.write(storeDirectory.resolve("models/orphaned/files/0000-unfinished.onnx"), TestModels.treeEnsemble());
        Path young = Files.write(storeDirectory.resolve("models/orphaned/files/0001-being-registered.onnx"), TestModels.treeEnsemble());
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofDays(2))));

        assertThat(computeActual("SELECT model, key, size_bytes, reason FROM ml.system.orphan_files").getMaterializedRows())
                .extracting(MaterializedRow::getFields)
                .containsExactly(List.of("orphaned", "models/orphaned/files/0000-unfinished.onnx", (long) TestModels.treeEnsemble().length, "no version names it"));
        assertQueryFails("CALL ml.system.remove_orphan_files(older_than => '10m')", "Orphan files must be older than 1h before they are removed, so that registrations still running keep their files; got 10m");
        assertQueryFails("CALL ml.system.remove_orphan_files(older_than => 'a while')", "older_than must be a duration such as '36h' or '7d', got 'a while'");
        assertThat(orphan).exists();

        assertUpdate("CALL ml.system.remove_orphan_files()");
        assertThat(orphan).doesNotExist();
        assertThat(young).exists();
        assertThat(storeDirectory.resolve("models/orphaned").resolve(kept.modelFile())).exists();
        assertThat(computeScalar("SELECT count(*) FROM ml.system.orphan_files")).isEqualTo(0L);
        assertThat((Double) computeScalar("SELECT predict('orphaned', 1, 2, 3, 4)")).isCloseTo(TestModels.linearReference(1, 2, 3, 4), within(1e-4));
    }

    private MaterializedRow onlyRow(String sql)
    {
        List<MaterializedRow> rows = computeActual(sql).getMaterializedRows();
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }
}
