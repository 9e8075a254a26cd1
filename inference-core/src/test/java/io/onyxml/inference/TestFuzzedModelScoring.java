package io.onyxml.inference;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.InvalidProtocolBufferException;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.ValueSpec;
import io.onyxml.store.testing.Fuzzing;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.ModelMutator;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.onyxml.inference.BindingMode.BY_NAME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of valid ONNX files registered with the inference core's validation, loaded and scored on the CPU by the
 * evaluator chosen by default, for the share of {@code onyx.fuzz.seconds} given below: each is refused with an
 * {@link OnyxException}, or registers, loads and scores or fails its call with one; no other exception escapes, and
 * ONNX Runtime does not take the JVM down. The compiled evaluator falling back to ONNX Runtime because the compiler
 * failed counts as a finding.
 */
class TestFuzzedModelScoring
        extends AbstractInferenceTest
{
    private static final Map<String, byte[]> MODELS = ImmutableMap.<String, byte[]>builder()
            .put("linear", TestModels.linearRegression())
            .put("mlp", TestModels.mlp(4, 8, 2, 1).bytes())
            .put("trees", TestModels.treeEnsemble())
            .put("classifier", TestModels.classifier())
            .put("two_inputs", TestModels.twoInputs())
            .put("double_linear", TestModels.doubleLinear())
            .put("mixed", TestModels.mixedColumns())
            .put("nested", HostileModels.nested(2, List.of("Loop", "If", "Loop")))
            .put("side_by_side", HostileModels.sideBySide(3))
            .buildOrThrow();
    private static final int ROWS = 3;
    // wider inputs are left unscored, to keep each mutant cheap
    private static final long MAX_SCORED_WIDTH = 4096;

    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.AUTO;
    }

    @Test
    void mutantsAreRefusedOrLoadAndScoreWithOnyxErrorsOnly()
    {
        List<String> names = List.copyOf(MODELS.keySet());
        List<String> compilerFailures = new ArrayList<>();
        Fuzzing.Summary summary = Fuzzing.run("model scoring", 0.6, random -> {
            String original = names.get(random.nextInt(names.size()));
            ModelMutator.Mutant mutant = new ModelMutator(random).mutate(MODELS.get(original));
            String name = "m" + Long.toHexString(random.nextLong() >>> 1);
            try {
                return check(name, mutant, random, compilerFailures);
            }
            catch (RuntimeException | Error e) {
                throw new AssertionError("mutant of " + original + ": " + mutant, e);
            }
        });
        assertThat(summary.iterations()).isPositive();
        assertThat(compilerFailures).as("models the compiler failed on (ONNX Runtime served them)").isEmpty();
    }

    private String check(String name, ModelMutator.Mutant mutant, Random random, List<String> compilerFailures)
    {
        ModelManifest manifest;
        try {
            manifest = store.register(name, ModelSource.of(mutant.bytes()), RegisterOptions.DEFAULTS, engine.validator());
        }
        catch (OnyxException e) {
            return "refused " + e.errorCode();
        }
        try {
            LoadedModelInfo loaded;
            try {
                loaded = engine.load(manifest);
            }
            catch (OnyxException e) {
                return "registered, load " + e.errorCode();
            }
            Optional<String> note = loaded.evaluators().note();
            if (note.isPresent() && note.get().contains("the compiler failed")) {
                compilerFailures.add(mutant + ": " + note.get());
            }
            if (!loopsAreBounded(mutant.bytes())) {
                return "registered, not scored: a Loop without a small constant trip count";
            }
            Optional<ColumnBatch> batch = batch(manifest, random);
            if (batch.isEmpty()) {
                return "registered, not scored";
            }
            List<InputColumn> columns = new ArrayList<>();
            for (int i = 0; i < batch.get().columns().size(); i++) {
                columns.add(new InputColumn(batch.get().names().get(i), batch.get().column(i).type()));
            }
            try {
                Predictor predictor = engine.predictor(manifest, columns, BY_NAME);
                assertThat(predictor.predict(batch.get()).rowCount()).isEqualTo(ROWS);
                assertThat(predictor.predictSingleRows(batch.get()).rowCount()).isEqualTo(ROWS);
                return loaded.evaluators().compiled().isPresent() ? "scored, compiled" : "scored";
            }
            catch (OnyxException e) {
                return "registered, scoring " + e.errorCode();
            }
        }
        finally {
            engine.unload(manifest.sha256());
        }
    }

    /**
     * Whether every Loop of a model has a trip count of at most 16 from an initializer. A mutant whose trip count is
     * huge, or whose loop ends only on a condition that stays true, runs for as long as ONNX Runtime takes: Onyx puts
     * no time limit on a call (found by this test: the trip count of the "nested" model's outer Loop removed, which
     * the inspector now refuses, since its condition was absent too).
     */
    private static boolean loopsAreBounded(byte[] model)
    {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxMl.ModelProto.parseFrom(model);
        }
        catch (InvalidProtocolBufferException e) {
            return false;
        }
        Map<String, Long> counts = new HashMap<>();
        List<OnnxMl.NodeProto> loops = new ArrayList<>();
        Deque<OnnxMl.GraphProto> graphs = new ArrayDeque<>(List.of(proto.getGraph()));
        while (!graphs.isEmpty()) {
            OnnxMl.GraphProto graph = graphs.poll();
            for (OnnxMl.TensorProto tensor : graph.getInitializerList()) {
                if (tensor.getDataType() == ElementType.INT64.onnxCode() && tensor.getInt64DataCount() == 1) {
                    counts.put(tensor.getName(), tensor.getInt64Data(0));
                }
                else if (tensor.getDataType() == ElementType.INT64.onnxCode() && tensor.getRawData().size() == Long.BYTES) {
                    counts.put(tensor.getName(), tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong());
                }
            }
            for (OnnxMl.NodeProto node : graph.getNodeList()) {
                if (node.getOpType().equals("Loop")) {
                    loops.add(node);
                }
                for (OnnxMl.AttributeProto attribute : node.getAttributeList()) {
                    if (attribute.hasG()) {
                        graphs.add(attribute.getG());
                    }
                    graphs.addAll(attribute.getGraphsList());
                }
            }
        }
        return !proto.getFunctionsList().stream().anyMatch(function -> function.getNodeList().stream().anyMatch(node -> node.getOpType().equals("Loop")))
                && loops.stream().allMatch(loop -> loop.getInputCount() > 0 && counts.getOrDefault(loop.getInput(0), -1L) >= 0 && counts.get(loop.getInput(0)) <= 16);
    }

    /**
     * Random values for every input, one column per input named as it, with a NULL now and then; empty when an input
     * cannot be fed or is too wide to score cheaply.
     */
    private static Optional<ColumnBatch> batch(ModelManifest manifest, Random random)
    {
        ColumnBatch.Builder batch = ColumnBatch.builder(ROWS);
        for (ValueSpec input : manifest.signature().inputs()) {
            Optional<ScalarType> type = scalarType(input);
            if (type.isEmpty()) {
                return Optional.empty();
            }
            boolean[] nulls = random.nextInt(4) == 0 ? new boolean[] {false, true, false} : null;
            if (ModelFeatures.isScalarPerRow(input)) {
                batch.add(input.name(), values(type.get(), ROWS, nulls, random));
                continue;
            }
            long width = input.valuesPerRow().orElse(3L);
            if (width > MAX_SCORED_WIDTH) {
                return Optional.empty();
            }
            // arrays of the declared width, also 0
            int[] offsets = new int[ROWS + 1];
            for (int row = 0; row <= ROWS; row++) {
                offsets[row] = row * (int) width;
            }
            batch.add(input.name(), new ArrayColumn(offsets, values(type.get(), (int) width * ROWS, null, random), nulls));
        }
        return Optional.of(batch.build());
    }

    private static Optional<ScalarType> scalarType(ValueSpec input)
    {
        if (!input.isTensor()) {
            return Optional.empty();
        }
        return switch (input.elementType()) {
            case FLOAT -> Optional.of(ScalarType.FLOAT);
            case DOUBLE -> Optional.of(ScalarType.DOUBLE);
            case INT64 -> Optional.of(ScalarType.BIGINT);
            case INT32 -> Optional.of(ScalarType.INTEGER);
            case BOOL -> Optional.of(ScalarType.BOOLEAN);
            case STRING -> Optional.of(ScalarType.VARCHAR);
            default -> Optional.empty();
        };
    }

    private static Column values(ScalarType type, int count, boolean[] nulls, Random random)
    {
        return switch (type) {
            case FLOAT -> {
                float[] values = new float[count];
                for (int i = 0; i < count; i++) {
                    values[i] = random.nextInt(8) == 0 ? Float.NaN : (float) random.nextGaussian() * 3;
                }
                yield new FloatColumn(values, nulls);
            }
            case DOUBLE -> {
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = random.nextGaussian() * 3;
                }
                yield new DoubleColumn(values, nulls);
            }
            case BIGINT -> {
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    values[i] = random.nextInt(8) == 0 ? Long.MIN_VALUE : random.nextInt(10) - 2;
                }
                yield new LongColumn(values, nulls);
            }
            case INTEGER -> {
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    values[i] = random.nextInt(10) - 2;
                }
                yield new IntColumn(values, nulls);
            }
            case BOOLEAN -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = random.nextBoolean();
                }
                yield new BooleanColumn(values, nulls);
            }
            case VARCHAR -> {
                List<String> words = ImmutableList.of("paris", "tokyo", "", "\u0000");
                String[] values = new String[count];
                for (int i = 0; i < count; i++) {
                    values[i] = nulls != null && nulls[i] ? null : words.get(random.nextInt(words.size()));
                }
                yield new StringColumn(values);
            }
        };
    }
}
