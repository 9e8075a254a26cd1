package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.HostileModels;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.onyxml.inference.BindingMode.BY_POSITION;
import static io.onyxml.inference.batch.ScalarType.BIGINT;
import static io.onyxml.inference.batch.ScalarType.DOUBLE;
import static io.onyxml.inference.batch.ScalarType.FLOAT;
import static io.onyxml.store.ElementType.INT64;
import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Small files that cost ONNX Runtime far more than their size to load or to run: subgraphs nested deep or side by
 * side, and operators that expand a tiny input into a huge tensor. Each is refused at registration or fails its call
 * with an {@link OnyxException}, and the engine goes on scoring other models.
 */
class TestHostileModelScoring
        extends AbstractInferenceTest
{
    /**
     * What runs by default: the compiled evaluator where it handles the graph, else ONNX Runtime.
     */
    @Override
    protected EvaluatorPolicy evaluator()
    {
        return EvaluatorPolicy.AUTO;
    }

    @Test
    void subgraphsNestedWithinTheLimitLoadAndScoreInBoundedTime()
    {
        for (List<String> pattern : List.of(List.of("Loop"), List.of("If"), List.of("Loop", "If"))) {
            ModelManifest manifest = register("nested", HostileModels.nested(1, repeat(pattern, 12)));
            assertThat(score(manifest, 2.5)).isEqualTo(2.5f);
        }
        // the deepest nesting of this shape the inspector admits: its trial load and its load took 1.3 s each here
        long start = System.nanoTime();
        ModelManifest deepest = register("deepest", HostileModels.nested(1, repeat(List.of("Loop"), 16)));
        assertThat(score(deepest, -1)).isEqualTo(-1f);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void subgraphsNestedBeyondTheLimitAreRefusedBeforeOnnxRuntimeLoadsThem()
    {
        // ONNX Runtime would take about 2.5 seconds to load 17 nested Loops, and hours for 31
        for (int depth : new int[] {17, 31}) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> register("nested", HostileModels.nested(1, repeat(List.of("Loop"), depth))))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(UNSUPPORTED_MODEL))
                    .hasMessageContaining("nests subgraphs (the bodies and branches of Loop, If and Scan) " + depth + " levels deep; ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(score(register("linear", TestModels.linearRegression()), 1, 1, 1, 1)).isEqualTo((float) TestModels.linearReference(1, 1, 1, 1));
    }

    @Test
    void manySubgraphsSideBySideLoadAndScoreInBoundedTime()
    {
        // 2,000 subgraphs; ONNX Runtime's load time grows with their number about as with that of plain nodes
        long start = System.nanoTime();
        ModelManifest manifest = register("wide", HostileModels.sideBySide(1_000));
        assertThat(score(manifest, 3)).isEqualTo(3f);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void tinyModelsThatExpandIntoHugeTensorsFailTheirCallAndTheEngineGoesOn()
    {
        ModelManifest linear = register("linear", TestModels.linearRegression());
        long side = 1L << 20;
        // 2^40 floats (4 TiB) from a shape in the file
        assertScoringFails(register("expand", sum(new OnnxGraphBuilder("expand").longInitializer("shape", new long[] {side, side}, 2)
                        .node("Expand").inputs("x", "shape").outputs("big").add())), 2.0,
                "Failed to allocate memory for requested buffer of size 4398046511104");
        assertScoringFails(register("tile", sum(new OnnxGraphBuilder("tile").longInitializer("repeats", new long[] {side, side}, 2)
                        .node("Tile").inputs("x", "repeats").outputs("big").add())), 2.0,
                "Tile output tensor would require more than 4294967296 bytes, which exceeds the supported maximum of 4294967296 bytes.");
        // constant folding at load leaves it alone (see TestModelValidation), so it fails when it runs
        assertScoringFails(register("constant", sum(new OnnxGraphBuilder("constant").longInitializer("shape", new long[] {side, side}, 2)
                        .node("ConstantOfShape").inputs("shape").outputs("big").add())), 2.0,
                "Failed to allocate memory for requested buffer of size 4398046511104");
        // an overflowing shape
        assertScoringFails(register("overflow", sum(new OnnxGraphBuilder("overflow").longInitializer("shape", new long[] {1L << 32, 1L << 32}, 2)
                        .node("Expand").inputs("x", "shape").outputs("big").add())), 2.0,
                "Integer overflow");
        // a shape a SQL user passes in: ConstantOfShape of the values of an int64 column n (the model's first input)
        ModelManifest fromInput = register("from_input", sum(new OnnxGraphBuilder("from_input")
                .longInitializer("flat", new long[] {-1}, 1)
                .node("Reshape").inputs("n", "flat").outputs("shape").add()
                .input("n", INT64, DYNAMIC, 1)
                .node("ConstantOfShape").inputs("shape").outputs("big").add()));
        Map<Long, String> sizes = Map.of(
                1L << 42, "Failed to allocate memory for requested buffer of size 17592186044416",
                1L << 62, "Calculation for Tensor storage size overflowed",
                -5L, "Tensor shape.Size() must be >= 0");
        sizes.forEach((size, reason) -> {
            Predictor predictor = engine.predictor(fromInput, List.of(new InputColumn("n", BIGINT), new InputColumn("x", DOUBLE)), BY_POSITION);
            assertThatThrownBy(() -> predictor.predictRow(size, 1.0))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INFERENCE_FAILED))
                    .hasMessageStartingWith("ONNX Runtime failed to score model from_input/1: Non-zero status code returned while running ConstantOfShape node.")
                    .hasMessageContaining(reason);
            assertThat(score(linear, 1, 2, 3, 4)).isEqualTo((float) TestModels.linearReference(1, 2, 3, 4));
        });
        Predictor small = engine.predictor(fromInput, List.of(new InputColumn("n", BIGINT), new InputColumn("x", DOUBLE)), BY_POSITION);
        assertThat(small.predictRow(3L, 1.0)).containsEntry("y", 1f);
    }

    @Test
    void anOutputLargerThanAQuarterOfTheHeapIsRefusedBeforeItIsCopiedIntoIt()
    {
        // just over the limit: ONNX Runtime allocates it outside the heap (268 MB with the tests' 1 GB heap)
        long budget = Runtime.getRuntime().maxMemory() / 4;
        long width = budget / Float.BYTES + 1;
        ModelManifest manifest = register("wide_output", new OnnxGraphBuilder("wide_output")
                .input("x", ElementType.FLOAT, DYNAMIC, 1)
                .output("y", ElementType.FLOAT, DYNAMIC, DYNAMIC)
                .longInitializer("shape", new long[] {1, width}, 2)
                .node("Expand").inputs("x", "shape").outputs("y").add()
                .build());
        Predictor predictor = engine.predictor(manifest, List.of(new InputColumn("x", DOUBLE)), BY_POSITION);
        assertThatThrownBy(() -> predictor.predictRow(1.0))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INFERENCE_FAILED))
                .hasMessage("Model wide_output/1 output 'y' (float[N,?]) returned %s values for 1 rows, which take %s bytes in the JVM, more than the %s bytes (a quarter of the JVM's heap) that Onyx lets the output of one call take",
                        width, width * Float.BYTES, budget);
        // a width within the limit is returned
        ModelManifest fits = register("fits", new OnnxGraphBuilder("fits")
                .input("x", ElementType.FLOAT, DYNAMIC, 1)
                .output("y", ElementType.FLOAT, DYNAMIC, DYNAMIC)
                .longInitializer("shape", new long[] {1, 1 << 20}, 2)
                .node("Expand").inputs("x", "shape").outputs("y").add()
                .build());
        assertThat((List<?>) engine.predictor(fits, List.of(new InputColumn("x", DOUBLE)), BY_POSITION).predictRow(1.0).get("y")).hasSize(1 << 20);
    }

    @Test
    void anOutputDeclaredWiderThanAnyBatchScoresWithTheWidthItHas()
    {
        // declares 2^62 values per row: times 4 rows that once wrapped around to a pinned buffer of 0 values
        ModelManifest manifest = register("liar", new OnnxGraphBuilder("liar")
                .input("x", ElementType.FLOAT, DYNAMIC, 1)
                .output("y", ElementType.FLOAT, DYNAMIC, 1L << 62)
                .node("Identity").inputs("x").outputs("y").add()
                .build());
        Predictor predictor = engine.predictor(manifest, List.of(new InputColumn("x", FLOAT)), BY_POSITION);
        ColumnBatch result = predictor.predict(ColumnBatch.builder(4).add("x", new FloatColumn(new float[] {1, 2, 3, 4}, null)).build());
        ArrayColumn y = (ArrayColumn) result.column(0);
        assertThat(((FloatColumn) y.elements()).values()).containsExactly(1, 2, 3, 4);
        assertThat(y.length(3)).isEqualTo(1);
    }

    /**
     * {@code y = x + sum(big)} for {@code x float[N, 1]}, where the builder's nodes compute {@code big}.
     */
    private static byte[] sum(OnnxGraphBuilder big)
    {
        return big
                .input("x", ElementType.FLOAT, DYNAMIC, 1)
                .output("y", ElementType.FLOAT, DYNAMIC, 1)
                .node("ReduceSum").inputs("big").outputs("s").attribute("keepdims", 0L).add()
                .node("Add").inputs("x", "s").outputs("y").add()
                .build();
    }

    private void assertScoringFails(ModelManifest manifest, double x, String reason)
    {
        assertThatThrownBy(() -> score(manifest, x))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INFERENCE_FAILED))
                .hasMessageStartingWith("ONNX Runtime failed to score model " + manifest.name() + "/1: Non-zero status code returned while running ")
                .hasMessageContaining(reason);
        ModelManifest linear = store.resolve("linear");
        assertThat(score(linear, 4, 3, 2, 1)).isEqualTo((float) TestModels.linearReference(4, 3, 2, 1));
    }

    @Test
    void aCallThatRunsPastTheLimitIsStoppedAndTheEngineGoesOn()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        // two Loops of 10^12 iterations each: ONNX Runtime would run them for days
        ModelManifest endless = register("endless", HostileModels.nested(1_000_000_000_000L, List.of("Loop", "Loop")));
        try (InferenceEngine limited = new InferenceEngine(store, config().withMaxCallTime(Duration.ofSeconds(1)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> limited.predictor(endless, List.of(new InputColumn("x", DOUBLE)), BY_POSITION).predictRow(1.0))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INFERENCE_FAILED))
                    .hasMessage("Model endless/1 took longer than 1s to score one batch, the longest a model call may run (the model call time limit); it was stopped");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            ModelManifest linear = store.resolve("linear");
            assertThat((Float) limited.predictor(linear, List.of(new InputColumn("a", DOUBLE), new InputColumn("b", DOUBLE), new InputColumn("c", DOUBLE), new InputColumn("d", DOUBLE)), BY_POSITION)
                    .predictRow(4.0, 3.0, 2.0, 1.0).get(linear.signature().outputs().get(0).name()))
                    .isEqualTo((float) TestModels.linearReference(4, 3, 2, 1));
        }
    }

    private ModelManifest register(String name, byte[] model)
    {
        return store.register(name, ModelSource.of(model), RegisterOptions.DEFAULTS, engine.validator());
    }

    private float score(ModelManifest manifest, double... features)
    {
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        Object[] values = new Object[features.length];
        for (int i = 0; i < features.length; i++) {
            columns.add(new InputColumn("f" + i, DOUBLE));
            values[i] = features[i];
        }
        return (Float) engine.predictor(manifest, columns.build(), BY_POSITION).predictRow(values).get(manifest.signature().outputs().get(0).name());
    }

    private static List<String> repeat(List<String> pattern, int depth)
    {
        return Collections.nCopies(depth, pattern).stream().flatMap(List::stream).limit(depth).toList();
    }
}
