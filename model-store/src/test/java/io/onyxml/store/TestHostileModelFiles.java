package io.onyxml.store;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableMap;
import com.google.common.primitives.Bytes;
import com.google.protobuf.ByteString;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.HostileModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.MODEL_TOO_LARGE;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files that declare far more than they hold: registering them costs work and memory in proportion to their real
 * size, and those whose declarations their bytes do not back are refused before anything is stored.
 */
class TestHostileModelFiles
{
    /**
     * What one registration of a tiny file may allocate on the heap; building a name per declared column of a
     * 2,000,000,000-wide input would take over 100 GB.
     */
    private static final long ALLOCATION_LIMIT = 16L << 20;

    @TempDir
    Path temporary;
    private ModelStore store;

    @BeforeEach
    void openStore()
    {
        store = ModelStore.open(ModelStoreConfig.local(temporary.resolve("store")));
    }

    @AfterEach
    void closeStore()
    {
        store.close();
    }

    @Test
    void hugeDeclaredWidthsBecomeOneArrayFeature()
    {
        for (long width : new long[] {1025, 2_000_000_000L, 1L << 31, Long.MAX_VALUE}) {
            byte[] model = HostileModels.wide(width);
            ModelManifest manifest = allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("wide", ModelSource.of(model), RegisterOptions.DEFAULTS));
            assertThat(manifest.featureNames()).containsExactly("x");
            assertThat(manifest.signature().inputs().get(0).shape()).contains(List.of(DYNAMIC, width));
            assertThat(manifest.signature().inputs().get(0).valuesPerRow()).contains(width);
        }
        // the widest input that is still split into named features
        assertThat(store.register("packed", ModelSource.of(HostileModels.wide(ModelFeatures.MAX_PACKED_FEATURES)), RegisterOptions.DEFAULTS).featureNames())
                .hasSize(ModelFeatures.MAX_PACKED_FEATURES)
                .startsWith("x_0", "x_1")
                .endsWith("x_1023");
    }

    @Test
    void extremeAndSymbolicShapesAreDescribedWithoutOverflow()
    {
        byte[] model = new OnnxGraphBuilder("extreme")
                .input("x", FLOAT, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)
                .input("y", FLOAT, DYNAMIC, DYNAMIC)
                .output("z", FLOAT, Long.MAX_VALUE, 4)
                .node("Identity").inputs("x").outputs("z").add()
                .build();
        ModelManifest manifest = allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("extreme", ModelSource.of(model), RegisterOptions.DEFAULTS));
        assertThat(manifest.featureNames()).containsExactly("x", "y");
        // the product of the dimensions saturates instead of wrapping around
        assertThat(manifest.signature().inputs().get(0).valuesPerRow()).contains(Long.MAX_VALUE);
        assertThat(manifest.signature().inputs().get(1).valuesPerRow()).isEmpty();
        assertThat(manifest.signature().inputs().get(0).typeText()).isEqualTo("float[9223372036854775807,9223372036854775807,9223372036854775807]");
    }

    @Test
    void tooManyFeaturesInAllAreRefused()
    {
        OnnxGraphBuilder builder = new OnnxGraphBuilder("many").output("y", FLOAT, DYNAMIC, 1);
        for (int input = 0; input < 17; input++) {
            builder.input("x" + input, FLOAT, DYNAMIC, ModelFeatures.MAX_PACKED_FEATURES);
        }
        byte[] model = builder.node("Identity").inputs("x0").outputs("y").add().build();
        assertRefused(model, UNSUPPORTED_MODEL, "Model 'hostile' has 17408 features in 17 inputs, more than the 16384 Onyx binds to columns; pack them into fewer inputs wider than 1024 values, which take one array each");
    }

    @Test
    void tensorsThatDeclareMoreThanTheFileHoldsAreRefused()
    {
        // 4 TiB of floats declared, 4 bytes held
        assertRefused(
                HostileModels.undeclaredData(1L << 40),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'w' of shape [1099511627776] (1099511627776 float values) but holds 4 bytes for it");
        assertRefused(
                HostileModels.withInitializer(HostileModels.tensor("w", 1, 3).addFloatData(1)),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'w' of shape [3] (3 float values) but holds 1 values for it");
        assertRefused(
                HostileModels.withInitializer(HostileModels.tensor("w", 1, 1L << 40, 1L << 40)),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'w' of shape [1099511627776, 1099511627776], which has more values than a 64-bit count holds");
        assertRefused(
                HostileModels.withInitializer(HostileModels.tensor("w", 1, -4)),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'w' with a negative dimension -4");
        assertRefused(
                HostileModels.withInitializer(HostileModels.tensor("w", 99, 1).setRawData(ByteString.copyFrom(new byte[1]))),
                UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'w' of element type code 99, which Onyx does not know");
    }

    @Test
    void packedAndTypedTensorsThatHoldTheirValuesAreAccepted()
    {
        // int4 values packed two to an int32 of typed data (onnx.helper.make_tensor(..., raw=False)), and raw
        OnnxMl.TensorProto.Builder typedInt4 = HostileModels.tensor("q", 22, 5).addInt32Data(1).addInt32Data(2).addInt32Data(3);
        OnnxMl.TensorProto.Builder rawInt4 = HostileModels.tensor("r", 22, 5).setRawData(ByteString.copyFrom(new byte[3]));
        OnnxMl.TensorProto.Builder strings = HostileModels.tensor("s", 8, 2).addStringData(ByteString.copyFromUtf8("a")).addStringData(ByteString.copyFromUtf8("b"));
        OnnxMl.TensorProto.Builder scalar = HostileModels.tensor("t", 1).addFloatData(1);
        OnnxMl.ModelProto.Builder model = HostileModels.identity().toBuilder();
        model.getGraphBuilder().addInitializer(typedInt4).addInitializer(rawInt4).addInitializer(strings).addInitializer(scalar);
        assertThat(store.register("packed", ModelSource.of(model.build().toByteArray()), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
        assertRefused(
                HostileModels.withInitializer(HostileModels.tensor("q", 22, 5).addInt32Data(1)),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'q' of shape [5] (5 code-22 values) but holds 1 values for it");
    }

    @Test
    void defaultValuesOfFunctionAttributesAreChecked()
    {
        OnnxMl.ModelProto.Builder model = HostileModels.identity().toBuilder();
        model.addFunctions(OnnxMl.FunctionProto.newBuilder().setName("Bloat").setDomain("local")
                .addAttributeProto(OnnxMl.AttributeProto.newBuilder().setName("value").setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                        .setT(HostileModels.tensor("default", 1, 1L << 40))));
        assertRefused(
                model.build().toByteArray(),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'default' of shape [1099511627776] (1099511627776 float values) but holds 0 values for it");
    }

    @Test
    void tensorsInExternalFilesAreRefused()
    {
        assertRefused(
                HostileModels.externalData(),
                UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) keeps tensor 'w' in an external data file; Onyx loads a model from its ONNX file alone, so save it with every tensor inside (onnx.save_model(model, path, save_as_external_data=False))");
    }

    @Test
    void constantsInSubgraphsAreCheckedToo()
    {
        OnnxMl.GraphProto branch = OnnxMl.GraphProto.newBuilder()
                .setName("branch")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Constant").addOutput("c").addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                        .setT(HostileModels.tensor("hidden", 1, 1L << 42).setRawData(ByteString.copyFrom(new byte[8])))))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("c"))
                .build();
        OnnxMl.ModelProto.Builder model = new OnnxGraphBuilder("nested")
                .input("x", ElementType.BOOL, 1)
                .output("y", FLOAT, DYNAMIC)
                .buildProto()
                .toBuilder();
        model.getGraphBuilder().addNode(OnnxMl.NodeProto.newBuilder().setOpType("If").addInput("x").addOutput("y")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(branch))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(branch)));
        assertRefused(
                model.build().toByteArray(),
                INVALID_MODEL_FILE,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares tensor 'hidden' of shape [4398046511104] (4398046511104 float values) but holds 8 bytes for it");
    }

    @Test
    void sparseTensorsThatExpandBeyondTheFileAreRefused()
    {
        OnnxMl.SparseTensorProto sparse = OnnxMl.SparseTensorProto.newBuilder()
                .setValues(HostileModels.tensor("s", 1, 1).addFloatData(1))
                .setIndices(HostileModels.tensor("s_indices", 7, 1).addInt64Data(0))
                .addDims(1L << 36)
                .build();
        OnnxMl.ModelProto.Builder model = HostileModels.identity().toBuilder();
        model.getGraphBuilder().addSparseInitializer(sparse);
        assertRefused(
                model.build().toByteArray(),
                UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) declares sparse tensor 's' of shape [68719476736], which expands to 274877906944 bytes when loaded, more than the %s bytes of the file; store it as a dense tensor");
    }

    @Test
    void largeModelsAreParsedWithoutCopyingTheirWeights()
    {
        // 32 MiB of weights, registered from a file so that it is mapped, never copied onto the heap
        int count = 8 << 20;
        byte[] model = new OnnxGraphBuilder("large")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("w", new float[count], count)
                .node("Identity").inputs("x").outputs("y").add()
                .build();
        Path file = temporary.resolve("large.onnx");
        writeFile(file, model);
        ModelManifest manifest = allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("large", ModelSource.of(file), RegisterOptions.DEFAULTS));
        assertThat(manifest.sizeBytes()).isEqualTo(model.length);
    }

    @Test
    void filesOfRepeatedBytesLargerThanTheLimitAreRefusedWithoutBeingRead()
            throws IOException
    {
        // 3 GiB of zeros, a sparse file that takes no disk, beyond the default limit of what protobuf parses (2 GiB - 1)
        Path zeros = temporary.resolve("zeros.onnx");
        try (RandomAccessFile file = new RandomAccessFile(zeros.toFile(), "rw")) {
            file.setLength(3L << 30);
        }
        assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("zeros", ModelSource.of(zeros), RegisterOptions.DEFAULTS)))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_ARGUMENT))
                .hasMessage("Model file " + zeros + " has 3221225472 bytes, more than the 2147483647 bytes a model may have (the maximum model file size)");

        // 8 MiB of one empty metadata entry repeated (0x72 0x00), which protobuf would parse into 4 million objects
        byte[] repeated = new byte[8 << 20];
        for (int i = 0; i < repeated.length; i += 2) {
            repeated[i] = 0x72;
        }
        Path file = temporary.resolve("repeated.onnx");
        writeFile(file, repeated);
        RegistrationPolicy policy = new RegistrationPolicy(Optional.empty(), 1 << 20, "allowed locations", "onyx.max-model-file-size");
        try (ModelStore limited = ModelStore.open(ModelStoreConfig.local(temporary.resolve("limited")).withRegistrationPolicy(policy))) {
            assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> limited.register("repeated", ModelSource.of(file), RegisterOptions.DEFAULTS)))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_ARGUMENT))
                    .hasMessage("Model file " + file + " has 8388608 bytes, more than the 1048576 bytes a model may have (onyx.max-model-file-size)");
            assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> limited.register("repeated", ModelSource.of(repeated), RegisterOptions.DEFAULTS)))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_ARGUMENT))
                    .hasMessage("Model file of 8388608 given bytes has 8388608 bytes, more than the 1048576 bytes a model may have (onyx.max-model-file-size)");
            assertThat(limited.listModels()).isEmpty();
        }
    }

    @Test
    void filesOfVerySmallMessagesWithinTheLimitAreRefusedBeforeTheyAreParsed()
    {
        long budget = Runtime.getRuntime().maxMemory() / 4;
        // one empty metadata entry (0x72 0x00) repeated: 12 MiB with the tests' 1 GB heap, which protobuf would parse
        // into over 6 million objects, 30 times the file's size (64 MiB ran out of a 1 GB heap after 25 seconds)
        int entries = (int) (budget / 56) + 1_000_000;
        byte[] repeated = new byte[2 * entries];
        for (int i = 0; i < repeated.length; i += 2) {
            repeated[i] = 0x72;
        }
        assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("repeated", ModelSource.of(repeated), RegisterOptions.DEFAULTS)))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(MODEL_TOO_LARGE))
                .hasMessage("The ONNX file for model 'repeated' (the given bytes (%s bytes)) would take about %s bytes of the JVM's heap to read, more than the %s bytes (a quarter of the heap) that Onyx lets one model take: " +
                        "protobuf makes an object of each message and value of the file, and this one holds very many small ones", repeated.length, 56L * (entries + 1), budget);

        // a tensor of int64 values of one byte each (0x01), which the parser makes longs of
        int values = (int) (budget / Long.BYTES) + 1_000_000;
        byte[] tensor = Bytes.concat(new byte[] {0x3a}, varint(values), filled((byte) 1, values));
        byte[] graph = Bytes.concat(new byte[] {0x2a}, varint(tensor.length), tensor);
        byte[] model = Bytes.concat(new byte[] {0x3a}, varint(graph.length), graph);
        assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("packed", ModelSource.of(model), RegisterOptions.DEFAULTS)))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(MODEL_TOO_LARGE))
                .hasMessageContaining("would take about %s bytes of the JVM's heap to read", 3 * 56 + 8L * values);
    }

    @Test
    void lengthsThatRunPastTheirMessageAreRefusedBeforeProtobufReadsThem()
    {
        // found by TestFuzzedModelScoring (seed 42, iteration 21051): the length of a packed int32 field set to
        // 2147483647, which protobuf's decoder of mapped files adds to its position without noticing the overflow; it
        // then reads past the end of the file: "malformed varint" when the memory after it happens to be mapped, else
        // a SIGSEGV that takes the JVM down. The inspector's own scan of the wire format refuses it first.
        String truncated = "The ONNX file for model 'hostile' (the given bytes (%s bytes)) is not a valid ONNX model: While parsing a protocol message, the input ended unexpectedly in the middle of a field.  " +
                "This could mean either that the input has been truncated or that an embedded message misreported its own length.";
        for (long length : new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 20, 1L << 30, 100}) {
            byte[] tensor = Bytes.concat(new byte[] {0x10, 0x09, 0x2a}, varint(length), new byte[] {0x01, 0x42, 0x04}, "flag".getBytes(UTF_8));
            byte[] graph = Bytes.concat(new byte[] {0x2a}, varint(tensor.length), tensor);
            assertRefused(Bytes.concat(new byte[] {0x3a}, varint(graph.length), graph), INVALID_MODEL_FILE, truncated);
            // a message's own length
            assertRefused(Bytes.concat(new byte[] {0x3a}, varint(length), graph), INVALID_MODEL_FILE, truncated);
        }
    }

    private static byte[] varint(long value)
    {
        byte[] bytes = new byte[10];
        int length = 0;
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            bytes[length++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        bytes[length++] = (byte) rest;
        return Arrays.copyOf(bytes, length);
    }

    private static byte[] filled(byte value, int count)
    {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, value);
        return bytes;
    }

    @Test
    void bytesThatAreNoModelAreRefused()
    {
        String refused = "The ONNX file for model 'hostile' (the given bytes (%s bytes)) is ";
        assertRefused(new byte[0], INVALID_MODEL_FILE, refused + "not an ONNX model: it has no IR version or no graph");
        byte[] random = new byte[4096];
        new Random(11).nextBytes(random);
        assertRefused(random, INVALID_MODEL_FILE, refused + "not a valid ONNX model: Protocol message tag had invalid wire type.");
        byte[] valid = HostileModels.identity().toByteArray();
        assertRefused(Arrays.copyOf(valid, valid.length / 2), INVALID_MODEL_FILE, refused + "not a valid ONNX model: While parsing a protocol message, the input ended unexpectedly in the middle of a field.  " +
                "This could mean either that the input has been truncated or that an embedded message misreported its own length.");
        // protobuf's own limit of 100 nested messages stops the parse before Onyx walks the subgraphs
        assertRefused(nestedIf(200), INVALID_MODEL_FILE, refused + "not a valid ONNX model: Protocol message had too many levels of nesting.  May be malicious.  " +
                "Use setRecursionLimit() to increase the recursion depth limit.");
    }

    @Test
    void subgraphsNestedUpToProtobufsLimitAreRefusedBeforeOnnxRuntimeTriesToLoadThem()
    {
        // the deepest nesting protobuf's limit of 100 nested messages admits: a Loop body declares scalar inputs, one
        // message deeper than an If branch's values
        Map<List<String>, Integer> deepest = ImmutableMap.of(
                List.of("Loop"), 31,
                List.of("If"), 32,
                List.of("Loop", "If"), 32,
                List.of("If", "Loop"), 31);
        deepest.forEach((pattern, depth) -> {
            assertRefused(HostileModels.nested(1, repeat(pattern, depth + 1)), INVALID_MODEL_FILE, "The ONNX file for model 'hostile' (the given bytes (%s bytes)) is not a valid ONNX model: " +
                    "Protocol message had too many levels of nesting.  May be malicious.  Use setRecursionLimit() to increase the recursion depth limit.");
            byte[] model = HostileModels.nested(1, repeat(pattern, depth));
            long start = System.nanoTime();
            assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("hostile", ModelSource.of(model), RegisterOptions.DEFAULTS)))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(UNSUPPORTED_MODEL))
                    .hasMessageContaining(" nests subgraphs (the bodies and branches of Loop, If and Scan) " + depth + " levels deep; ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        });
        // two nodes per level (If: one in each branch; Loop: the nested one and the copy of its condition)
        for (List<String> pattern : deepest.keySet()) {
            assertThat(store.register("nested", ModelSource.of(HostileModels.nested(1, repeat(pattern, 16))), RegisterOptions.DEFAULTS).featureNames()).containsExactly("x");
        }
        assertRefused(HostileModels.nested(1, repeat(List.of("Loop"), 17)), UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) nests subgraphs (the bodies and branches of Loop, If and Scan) 17 levels deep; " +
                        "ONNX Runtime's work to load a node doubles with each level around it, and its nested nodes add up to 524284 units of that work (a node d levels deep counts 2^d), " +
                        "more than the 262144 that Onyx accepts; nest the control flow less deeply");
    }

    @Test
    void loopsThatRunForeverByDefinitionAreRefused()
    {
        // found by TestFuzzedModelScoring: the trip count of the outer Loop removed; its condition input is empty too,
        // so ONNX Runtime scored it until the test was stopped
        OnnxMl.ModelProto.Builder outer = parse(HostileModels.nested(2, List.of("Loop", "If", "Loop"))).toBuilder();
        outer.getGraphBuilder().getNodeBuilder(0).setName("outer").setInput(0, "");
        assertRefused(outer.build().toByteArray(), UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) has a Loop operator 'outer' with neither a trip count nor a condition, which ONNX defines to run forever; " +
                        "give it a maximum trip count or a condition");
        // the same in a subgraph, with the inputs left out rather than empty
        OnnxMl.ModelProto.Builder inner = parse(HostileModels.nested(2, List.of("If", "Loop"))).toBuilder();
        inner.getGraphBuilder().getNodeBuilder(0).getAttributeBuilder(0).getGBuilder().getNodeBuilder(0).clearInput();
        assertRefused(inner.build().toByteArray(), UNSUPPORTED_MODEL,
                "The ONNX file for model 'hostile' (the given bytes (%s bytes)) has a Loop operator with neither a trip count nor a condition, which ONNX defines to run forever; " +
                        "give it a maximum trip count or a condition");
        // a while loop: a condition without a trip count
        OnnxMl.ModelProto.Builder whileLoop = parse(HostileModels.nested(2, List.of("Loop"))).toBuilder();
        whileLoop.getGraphBuilder().getNodeBuilder(0).setInput(0, "").setInput(1, "flag");
        whileLoop.getGraphBuilder().addInitializer(OnnxMl.TensorProto.newBuilder().setName("flag").setDataType(ElementType.BOOL.onnxCode()).addInt32Data(1));
        assertThat(store.register("while", ModelSource.of(whileLoop.build().toByteArray()), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
    }

    private static OnnxMl.ModelProto parse(byte[] model)
    {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void manySubgraphsSideBySideRegisterInBoundedTime()
    {
        // 40,000 subgraphs in 3.5 MB, walked in about a second
        byte[] model = HostileModels.sideBySide(20_000);
        long start = System.nanoTime();
        assertThat(store.register("wide", ModelSource.of(model), RegisterOptions.DEFAULTS).featureNames()).containsExactly("x");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    private static List<String> repeat(List<String> pattern, int depth)
    {
        return IntStream.range(0, depth).mapToObj(level -> pattern.get(level % pattern.size())).toList();
    }

    /**
     * {@code y = x} inside {@code depth} nested If operators (each then-branch a subgraph holding the next If).
     */
    private static byte[] nestedIf(int depth)
    {
        OnnxMl.GraphProto inner = HostileModels.identity().getGraph();
        for (int level = 0; level < depth; level++) {
            OnnxMl.NodeProto ifNode = OnnxMl.NodeProto.newBuilder()
                    .setOpType("If")
                    .addInput("c")
                    .addOutput("y")
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(inner))
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(HostileModels.identity().getGraph()))
                    .build();
            inner = inner.toBuilder().clearNode().addNode(ifNode).build();
        }
        return HostileModels.identity().toBuilder().setGraph(inner).build().toByteArray();
    }

    private void assertRefused(byte[] model, OnyxErrorCode code, String message)
    {
        List<String> before = files();
        assertThatThrownBy(() -> allocatingAtMost(ALLOCATION_LIMIT, () -> store.register("hostile", ModelSource.of(model), RegisterOptions.DEFAULTS)))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                .hasMessage(message.replace("%s bytes)", model.length + " bytes)").replace("than the %s bytes", "than the " + model.length + " bytes"));
        assertThat(files()).isEqualTo(before);
    }

    private List<String> files()
    {
        try (BlobStore blobs = BlobStores.open(store.location(), S3Options.DEFAULTS)) {
            return blobs.list("").stream().map(BlobEntry::key).toList();
        }
    }

    /**
     * Runs an action and checks what it allocated on the heap in this thread, which, unlike heap use, does not
     * depend on when the collector ran.
     */
    private static <T> T allocatingAtMost(long limit, Supplier<T> action)
    {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        T result;
        try {
            result = action.get();
        }
        finally {
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated").isLessThan(limit);
        }
        return result;
    }

    private static void writeFile(Path file, byte[] bytes)
    {
        try {
            Files.write(file, bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
