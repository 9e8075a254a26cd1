package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.TestModels;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.ErrorType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_ARGUMENT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_FILE;
import static io.onyxml.trino.OnyxErrorCode.ONYX_INVALID_MODEL_INPUT;
import static io.onyxml.trino.OnyxErrorCode.ONYX_UNSUPPORTED_MODEL;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new user and an attacker can hand {@code register_model}: files that declare more than they hold, models ONNX
 * Runtime cannot run, locations outside the allowed ones, ambiguous feature names and tasks the outputs cannot serve.
 * Each gets a user error that says what is wrong, and leaves the store's files as they were.
 */
final class TestModelRegistration
        extends AbstractOnyxQueryTest
{
    private Path outside;

    @Override
    protected void registerModels() {}

    @BeforeAll
    void createCatalogs()
            throws IOException
    {
        outside = Files.createTempDirectory("onyx-outside-").toRealPath();
        Files.write(outside.resolve("secret.onnx"), TestModels.linearRegression());
        getQueryRunner().createCatalog("ml_closed", OnyxConnectorFactory.NAME, ImmutableMap.of(
                "onyx.model-store", storeDirectory.toString(),
                "onyx.device", "cpu"));
        getQueryRunner().createCatalog("ml_small", OnyxConnectorFactory.NAME, ImmutableMap.of(
                "onyx.model-store", storeDirectory.toString(),
                "onyx.device", "cpu",
                "onyx.register-model.allowed-locations", uploads.toString(),
                "onyx.max-model-file-size", "100B"));
    }

    @Test
    void hugeDeclaredWidthsRegisterAsOneArrayFeature()
            throws IOException
    {
        // the 138-byte file that took a coordinator down: one default name per declared column
        Path wide = upload("wide.onnx", HostileModels.wide(2_000_000_000L));
        assertUpdate("CALL ml.system.register_model('wide', '" + wide + "')");
        assertThat(computeActual("SELECT feature_names FROM ml.system.model_versions WHERE name = 'wide'").getOnlyValue())
                .isEqualTo(List.of("x"));
        assertThat(query("SELECT predict('wide', ARRAY[1e0, 2e0])"))
                .failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage("Model wide/1 input 'x' (float[N,2000000000]) needs 2000000000 values per row, but a row of its array column has 2");
        assertThat(computeScalar("SELECT 1")).isEqualTo(1);
    }

    @Test
    void modelsThatCannotRunAreRefusedAsUserErrors()
            throws IOException
    {
        assertRefused(HostileModels.customOperator("com.example.ops", "Magic"), ONYX_UNSUPPORTED_MODEL,
                "Model 'hostile' uses operator Magic of domain 'com.example.ops', which ONNX Runtime does not provide; Onyx runs the standard operators of ai.onnx, ai.onnx.ml, com.microsoft, ai.onnx.preview.training and does not load custom operator libraries");

        assertRefused(HostileModels.externalData(), ONYX_UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' \\(.*hostile.onnx\\) keeps tensor 'w' in an external data file; Onyx loads a model from its ONNX file alone, .*");

        assertRefused(HostileModels.undeclaredData(1L << 40), ONYX_INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' \\(.*\\) declares tensor 'w' of shape \\[1099511627776\\] \\(1099511627776 float values\\) but holds 4 bytes for it");

        assertRefused(HostileModels.unloadable(), ONYX_INVALID_MODEL_FILE, "ONNX Runtime 1\\.28\\.0 cannot load the ONNX file for model 'hostile': (?!.*onnxruntime_src).*");
    }

    @Test
    void readsOnlyTheAllowedLocationsAndAnswersTheSameOutside()
            throws IOException
    {
        String notAllowed = "Model location '%s' is not in a location models may be registered from: " + uploads + " \\(onyx.register-model.allowed-locations\\)";
        Path link = Files.createSymbolicLink(uploads.resolve("link.onnx"), outside.resolve("secret.onnx"));
        for (String location : List.of(
                outside.resolve("secret.onnx").toString(),
                outside.resolve("missing.onnx").toString(),
                uploads.resolve("../" + outside.getFileName() + "/secret.onnx").toString(),
                link.toString(),
                "/etc/passwd",
                "s3://uploads/team/model.onnx")) {
            List<String> before = storeFiles();
            assertThat(query("CALL ml.system.register_model('outside', '" + location + "')"))
                    .failure()
                    .hasErrorCode(PERMISSION_DENIED)
                    .hasMessageMatching(notAllowed.formatted(location.replace(".", "\\.")));
            assertThat(storeFiles()).isEqualTo(before);
        }
        assertThat(query("CALL ml_closed.system.register_model('closed', '" + upload("closed.onnx", TestModels.linearRegression()) + "')"))
                .failure()
                .hasErrorCode(PERMISSION_DENIED)
                .hasMessage("Registering models from files is disabled here: onyx.register-model.allowed-locations names no location to read them from; ask the operator to set it to the directories and s3:// prefixes that hold models");
        Path large = upload("large.onnx", TestModels.linearRegression());
        assertThat(query("CALL ml_small.system.register_model('large', '" + large + "')"))
                .failure()
                .hasErrorCode(ONYX_INVALID_ARGUMENT)
                .hasMessage("Model file " + large + " has " + Files.size(large) + " bytes, more than the 100 bytes a model may have (onyx.max-model-file-size)");
        assertThat(computeActual("SELECT name FROM ml.system.models WHERE name IN ('outside', 'closed', 'large')").getRowCount()).isZero();
    }

    @Test
    void featureNamesAndColumnsAreNeverAmbiguous()
            throws IOException
    {
        Path linear = upload("linear.onnx", TestModels.linearRegression());
        assertThat(query("CALL ml.system.register_model(name => 'houses', uri => '" + linear + "', feature_names => ARRAY['area_m2', 'rooms', 'AREA_M2', 'age'])"))
                .failure()
                .hasErrorCode(ONYX_INVALID_ARGUMENT)
                .hasMessage("Feature names of model 'houses' must be unique, regardless of case: [area_m2, AREA_M2]");
        Path twoCases = upload("cases.onnx", new OnnxGraphBuilder("cases")
                .input("a", FLOAT, DYNAMIC)
                .input("A", FLOAT, DYNAMIC)
                .output("y", FLOAT, DYNAMIC)
                .node("Add").inputs("a", "A").outputs("y").add()
                .build());
        assertThat(query("CALL ml.system.register_model('cases', '" + twoCases + "')"))
                .failure()
                .hasErrorCode(ONYX_UNSUPPORTED_MODEL)
                .hasMessage("Model 'cases' cannot be bound to columns by name: its default feature names [a, A] are not unique when case is ignored; give feature_names when registering it");
        assertUpdate("CALL ml.system.register_model(name => 'cases', uri => '" + twoCases + "', feature_names => ARRAY['first', 'second'])");

        assertUpdate("CALL ml.system.register_model(name => 'houses', uri => '" + linear + "', feature_names => ARRAY['area_m2', 'rooms', 'age', 'floor'])");
        String ambiguous = "Model houses/1 feature 'area_m2' matches several columns when case is ignored: 'area_m2', 'AREA_M2'; keep one of them or rename the others in the input query";
        assertThat(query("SELECT * FROM TABLE(predict(input => TABLE(SELECT 1e0 AS area_m2, 2e0 AS \"AREA_M2\", 3e0 AS rooms, 4e0 AS age, 5e0 AS floor), model => 'houses'))"))
                .failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage(ambiguous);
        assertThat(query("SELECT predict('houses', CAST(ROW(1e0, 2e0, 3e0, 4e0, 5e0) AS ROW(area_m2 double, \"AREA_M2\" double, rooms double, age double, floor double)))"))
                .failure()
                .hasErrorCode(ONYX_INVALID_MODEL_INPUT)
                .hasMessage(ambiguous);
    }

    @Test
    void aTaskTheOutputsCannotServeIsRefused()
            throws IOException
    {
        Path linear = upload("regressor.onnx", TestModels.linearRegression());
        assertThat(query("CALL ml.system.register_model(name => 'regressor', uri => '" + linear + "', task => 'classification')"))
                .failure()
                .hasErrorCode(ONYX_UNSUPPORTED_MODEL)
                .hasMessage("Model 'regressor' cannot be registered with task classification: a classifier needs a label output (one string or integer per row) or class probabilities (a ZipMap, or a float array per row); its outputs are [y float[N,1]]. Register it with the task its outputs serve (regression, classification, clustering, embedding or other)");
        assertUpdate("CALL ml.system.register_model(name => 'regressor', uri => '" + linear + "', task => 'regression')");
        // no message sends the user to a function that fails too
        assertThat(query("SELECT predict_label('regressor', 1, 2, 3, 4)"))
                .failure()
                .hasErrorCode(ONYX_UNSUPPORTED_MODEL)
                .hasMessage("Model regressor/1 is not a classifier (task regression); use predict");
        assertThat(computeScalar("SELECT predict('regressor', 1, 2, 3, 4)")).isNotNull();
    }

    private void assertRefused(byte[] model, ErrorCodeSupplier code, String messagePattern)
            throws IOException
    {
        Path file = upload("hostile.onnx", model);
        List<String> before = storeFiles();
        assertThat(query("CALL ml.system.register_model('hostile', '" + file + "')"))
                .failure()
                .hasErrorCode(code)
                .hasMessageMatching(messagePattern);
        assertThat(code.toErrorCode().getType()).isEqualTo(ErrorType.USER_ERROR);
        assertThat(storeFiles()).isEqualTo(before);
        assertThat(computeScalar("SELECT 1")).isEqualTo(1);
    }

    private List<String> storeFiles()
            throws IOException
    {
        if (!Files.exists(storeDirectory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(storeDirectory)) {
            return files.filter(Files::isRegularFile).map(path -> storeDirectory.relativize(path).toString()).sorted().toList();
        }
    }
}
