package io.onyxml.inference;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.S3Options;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What cannot be served is refused at registration with a user error in the model's terms, and leaves the store as
 * it was; what can be served registers as before.
 */
class TestModelValidation
        extends AbstractInferenceTest
{
    @Test
    void servableModelsRegister()
    {
        for (Map.Entry<String, byte[]> model : Map.of(
                "linear", TestModels.linearRegression(),
                "iris", TestModels.classifier(),
                "trees", TestModels.treeEnsemble(),
                "two", TestModels.twoInputs(),
                "mixed", TestModels.mixedColumns()).entrySet()) {
            assertThat(register(model.getKey(), model.getValue(), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
        }
    }

    @Test
    void operatorsOfOtherDomainsAreRefused()
    {
        assertRefused(HostileModels.customOperator("custom.ops", "Magic"), UNSUPPORTED_MODEL,
                "Model 'bad' uses operator Magic of domain 'custom.ops', which ONNX Runtime does not provide; Onyx runs the standard operators of ai.onnx, ai.onnx.ml, com.microsoft, ai.onnx.preview.training and does not load custom operator libraries");

        OnnxMl.ModelProto.Builder undeclared = HostileModels.identity().toBuilder();
        undeclared.getGraphBuilder().setNode(0, undeclared.getGraph().getNode(0).toBuilder().setDomain("ai.onnx.ml").setOpType("Normalizer"));
        assertRefused(undeclared.build().toByteArray(), UNSUPPORTED_MODEL, "Model 'bad' uses operator Normalizer of domain ai.onnx.ml without importing an operator set of that domain");
    }

    @Test
    void operatorSetsNewerThanTheRuntimeAreRefused()
    {
        long newest = OnnxRuntimeSupport.NEWEST_OPSETS.get("ai.onnx");
        byte[] model = new OnnxGraphBuilder("future").opset("", newest + 1)
                .input("x", FLOAT, DYNAMIC, 1).output("y", FLOAT, DYNAMIC, 1)
                .node("Identity").inputs("x").outputs("y").add()
                .build();
        assertRefused(model, UNSUPPORTED_MODEL, "Model 'bad' uses operator set " + (newest + 1) + " of domain ai.onnx, newer than the " + newest + " that this ONNX Runtime runs; export it with opset " + newest + " or older");
    }

    @Test
    void theNewestOperatorSetsAreTheRuntimesOwn()
            throws OrtException
    {
        // keeps OnnxRuntimeSupport honest when ONNX Runtime is upgraded: it loads the newest sets and refuses the next
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        for (String domain : List.of("ai.onnx", "ai.onnx.ml")) {
            long newest = OnnxRuntimeSupport.NEWEST_OPSETS.get(domain);
            try (OrtSession ignored = environment.createSession(opsetModel(domain, newest))) {
                assertThat(ignored.getInputNames()).containsExactly("x");
            }
            assertThatThrownBy(() -> environment.createSession(opsetModel(domain, newest + 1)).close())
                    .isInstanceOf(OrtException.class)
                    .hasMessageContaining("Current official support for domain " + domain + " is till opset " + newest);
        }
    }

    @Test
    void inputsOnyxCannotFeedAreRefused()
    {
        byte[] model = new OnnxGraphBuilder("half")
                .input("h", ElementType.FLOAT16, DYNAMIC, 2)
                .output("y", ElementType.FLOAT16, DYNAMIC, 2)
                .node("Identity").inputs("h").outputs("y").add()
                .build();
        assertRefused(model, UNSUPPORTED_MODEL, "Model 'bad' input 'h' has element type float16; Onyx feeds inputs of type float, double, int64, int32, bool and string");
    }

    @Test
    void aTaskTheOutputsCannotServeIsRefused()
    {
        assertRefused(TestModels.linearRegression(), RegisterOptions.builder().task(ModelTask.CLASSIFICATION).build(), UNSUPPORTED_MODEL,
                "Model 'bad' cannot be registered with task classification: a classifier needs a label output (one string or integer per row) or class probabilities (a ZipMap, or a float array per row); its outputs are [y float[N,1]]. Register it with the task its outputs serve (regression, classification, clustering, embedding or other)");
        byte[] strings = new OnnxGraphBuilder("strings")
                .input("x", ElementType.STRING, DYNAMIC)
                .output("y", ElementType.STRING, DYNAMIC)
                .node("Identity").inputs("x").outputs("y").add()
                .build();
        assertRefused(strings, RegisterOptions.builder().task(ModelTask.REGRESSION).build(), UNSUPPORTED_MODEL,
                "Model 'bad' cannot be registered with task regression: a regression model returns numbers, but its first output 'y' string[N] does not; its outputs are [y string[N]]. Register it with the task its outputs serve (regression, classification, clustering, embedding or other)");
        assertThat(register("text", strings, RegisterOptions.DEFAULTS).task()).isEqualTo(ModelTask.OTHER);
    }

    @Test
    void filesOnnxRuntimeCannotLoadAreRefusedWithItsReasonWithoutPaths()
    {
        byte[] unknown = new OnnxGraphBuilder("unknown_operator")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("NoSuchOperator").inputs("x").outputs("y").add()
                .build();
        assertThatThrownBy(() -> register("bad", unknown, RegisterOptions.DEFAULTS))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_MODEL_FILE))
                .hasMessageStartingWith("ONNX Runtime 1.28.0 cannot load the ONNX file for model 'bad': ")
                .hasMessageContaining("NoSuchOperator")
                .hasMessageNotContaining("/onnxruntime_src")
                .hasMessageNotContaining(directory.toString())
                .hasNoCause();
        assertThatThrownBy(() -> register("bad", HostileModels.unloadable(), RegisterOptions.DEFAULTS))
                .hasMessageStartingWith("ONNX Runtime 1.28.0 cannot load the ONNX file for model 'bad': ")
                .hasMessageNotContaining(".cc:");
        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void outputsOfAnotherTypeThanDeclaredAreRefused()
    {
        // found by TestFuzzedModelScoring: the output renamed to a bool initializer, which ONNX Runtime returns as it
        // is while the output declares float
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder();
        try {
            model.mergeFrom(HostileModels.sideBySide(3));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        model.getGraphBuilder().getOutputBuilder(0).setName("flag");
        assertRefused(model.build().toByteArray(), INVALID_MODEL_FILE,
                "ONNX Runtime reads the ONNX file for model 'bad' differently from its declarations: The ONNX file of model bad/1 does not match its manifest: output 'flag' has element type bool instead of float; register the model again");

        // a version stored without the check fails when it loads
        ModelManifest stored = store.register("stored", ModelSource.of(model.build().toByteArray()), RegisterOptions.DEFAULTS);
        assertThatThrownBy(() -> engine.predictor(stored, List.of(new InputColumn("x", ScalarType.DOUBLE)), BindingMode.BY_POSITION).predictRow(1.0))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.SIGNATURE_MISMATCH))
                .hasMessage("The ONNX file of model stored/1 does not match its manifest: output 'flag' has element type bool instead of float; register the model again");
    }

    @Test
    void aSmallFileCannotMakeTheTrialLoadFoldAHugeConstant()
            throws IOException
    {
        Path status = Path.of("/proc/self/status");
        assumeThat(Files.exists(status)).as("peak resident memory is read from /proc").isTrue();
        // a 1 GiB tensor of zeros from a file of a few hundred bytes; ONNX Runtime on its own would precompute it
        byte[] model = new OnnxGraphBuilder("bomb")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .longInitializer("shape", new long[] {1L << 28}, 1)
                .node("ConstantOfShape").inputs("shape").outputs("zeros").add()
                .node("ReduceSum").inputs("zeros").outputs("sum").attribute("keepdims", 0L).add()
                .node("Add").inputs("x", "sum").outputs("y").add()
                .build();
        long before = peakResidentBytes(status);
        register("bomb", model, RegisterOptions.DEFAULTS);
        assertThat(peakResidentBytes(status) - before).as("growth of the peak resident memory").isLessThan(256L << 20);
    }

    private ModelManifest register(String name, byte[] model, RegisterOptions options)
    {
        return store.register(name, ModelSource.of(model), options, engine.validator());
    }

    private void assertRefused(byte[] model, OnyxErrorCode code, String message)
    {
        assertRefused(model, RegisterOptions.DEFAULTS, code, message);
    }

    private void assertRefused(byte[] model, RegisterOptions options, OnyxErrorCode code, String message)
    {
        List<String> before = storeFiles();
        assertThatThrownBy(() -> register("bad", model, options))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message);
        assertThat(storeFiles()).isEqualTo(before);
    }

    private List<String> storeFiles()
    {
        try (BlobStore blobs = BlobStores.open(store.location(), S3Options.DEFAULTS)) {
            return blobs.list("").stream().map(BlobEntry::key).toList();
        }
    }

    private static byte[] opsetModel(String domain, long version)
    {
        OnnxGraphBuilder builder = new OnnxGraphBuilder("opset").input("x", FLOAT, DYNAMIC, 1).output("y", FLOAT, DYNAMIC, 1);
        builder.opset(domain.equals("ai.onnx") ? "" : domain, version);
        return builder.node("Identity").inputs("x").outputs("y").add().build();
    }

    private static long peakResidentBytes(Path status)
            throws IOException
    {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmHWM in " + status);
    }
}
