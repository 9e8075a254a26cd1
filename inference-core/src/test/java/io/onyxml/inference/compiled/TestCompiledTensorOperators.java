package io.onyxml.inference.compiled;

import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Random;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.INT64;
import static io.onyxml.store.ElementType.STRING;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The default-domain operators of the compiled evaluator against ONNX Runtime, on random models and inputs
 * (tolerance in {@link RuntimeComparison}).
 */
final class TestCompiledTensorOperators
{
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void mlpsWithEveryActivation(long seed)
            throws Exception
    {
        Random random = new Random(seed);
        byte[] model = new OnnxGraphBuilder("mlp")
                .input("x", FLOAT, DYNAMIC, 4)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("w1", weights(random, 4 * 64), 4, 64)
                .floatInitializer("b1", weights(random, 64), 64)
                .floatInitializer("w2", weights(random, 64 * 64), 64, 64)
                .floatInitializer("b2", weights(random, 64), 64)
                .floatInitializer("w3", weights(random, 64 * 32), 32, 64)
                .floatInitializer("w4", weights(random, 32), 32, 1)
                .floatInitializer("b4", weights(random, 1), 1)
                .node("Gemm").inputs("x", "w1", "b1").outputs("h1").add()
                .node("Relu").inputs("h1").outputs("r1").add()
                .node("MatMul").inputs("r1", "w2").outputs("m2").add()
                .node("Add").inputs("m2", "b2").outputs("h2").add()
                .node("Tanh").inputs("h2").outputs("r2").add()
                .node("Gemm").inputs("r2", "w3").outputs("h3").attribute("transB", 1L).attribute("alpha", 0.5f).add()
                .node("Sigmoid").inputs("h3").outputs("r3").add()
                .node("Gemm").inputs("r3", "w4", "b4").outputs("y").attribute("beta", 2.0f).add()
                .build();
        RuntimeComparison.compare(model, "x", inputs(random, 200, 4), 4);
    }

    @Test
    void theProjectsMlpAndLinearModel()
            throws Exception
    {
        Random random = new Random(7);
        RuntimeComparison.compare(TestModels.mlp(4, 64, 1, 11).bytes(), "x", inputs(random, 100, 4), 4);
        RuntimeComparison.compare(TestModels.linearRegression(), "x", inputs(random, 100, 4), 4);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void softmaxClassifierWithArgMaxAndLabels(long seed)
            throws Exception
    {
        Random random = new Random(seed);
        byte[] model = new OnnxGraphBuilder("classifier")
                .input("x", FLOAT, DYNAMIC, 5)
                .output("probabilities", FLOAT, DYNAMIC, 3)
                .output("label", INT64, DYNAMIC)
                .output("log_probabilities", FLOAT, DYNAMIC, 3)
                .output("sum", FLOAT, DYNAMIC, 1)
                .floatInitializer("w", weights(random, 15), 5, 3)
                .floatInitializer("b", weights(random, 3), 1, 3)
                .longInitializer("labels", new long[] {10, 20, 30}, 3)
                .longInitializer("axes", new long[] {1}, 1)
                .node("MatMul").inputs("x", "w").outputs("logits0").add()
                .node("Add").inputs("logits0", "b").outputs("logits").add()
                .node("Softmax").inputs("logits").outputs("probabilities").attribute("axis", 1L).add()
                .node("LogSoftmax").inputs("logits").outputs("log_probabilities").add()
                .node("ArgMax").inputs("probabilities").outputs("index").attribute("axis", 1L).attribute("keepdims", 0L).add()
                .node("Gather").inputs("labels", "index").outputs("label").add()
                .node("ReduceSum").inputs("probabilities", "axes").outputs("sum").add()
                .build();
        float[] rows = inputs(random, 200, 5);
        // ties: equal logits pick the first index, as ONNX Runtime does
        for (int i = 0; i < 5; i++) {
            rows[i] = 0;
        }
        RuntimeComparison.compare(model, "x", rows, 5);
    }

    @Test
    void imputationStandardisationCastsAndShapes()
            throws Exception
    {
        Random random = new Random(5);
        byte[] model = new OnnxGraphBuilder("preprocessing")
                .input("x", FLOAT, DYNAMIC, 3)
                .output("y", FLOAT, DYNAMIC, 1)
                .output("features", FLOAT, DYNAMIC, 6)
                .floatInitializer("means", new float[] {0.5f, -1, 2}, 3)
                .floatInitializer("scales", new float[] {2, 0.25f, 3}, 1, 3)
                .floatInitializer("two", new float[] {2}, 1)
                .floatInitializer("w", weights(random, 6), 6, 1)
                .longInitializer("flat", new long[] {-1, 6}, 2)
                .longInitializer("two_axis", new long[] {2}, 1)
                .node("IsNaN").inputs("x").outputs("missing").add()
                .node("Where").inputs("missing", "means", "x").outputs("imputed").add()
                .node("Sub").inputs("imputed", "means").outputs("centred").add()
                .node("Div").inputs("centred", "scales").outputs("scaled").add()
                .node("Mul").inputs("scaled", "two").outputs("doubled").add()
                .node("Max").inputs("doubled", "scaled").outputs("larger").add()
                .node("Cast").inputs("larger").outputs("wide").attribute("to", 11L).add()
                .node("Cast").inputs("wide").outputs("narrow").attribute("to", 1L).add()
                .node("Concat").inputs("narrow", "scaled").outputs("joined").attribute("axis", 1L).add()
                .node("Unsqueeze").inputs("joined", "two_axis").outputs("expanded").add()
                .node("Reshape").inputs("expanded", "flat").outputs("features").add()
                .node("MatMul").inputs("features", "w").outputs("y0").add()
                .node("Abs").inputs("y0").outputs("y1").add()
                .node("Sqrt").inputs("y1").outputs("y2").add()
                .node("Flatten").inputs("y2").outputs("y").add()
                .opset("", 17)
                .build();
        float[] rows = inputs(random, 100, 3);
        rows[0] = Float.NaN;
        rows[4] = Float.NaN;
        rows[8] = Float.POSITIVE_INFINITY;
        rows[9] = -Float.MAX_VALUE;
        RuntimeComparison.compare(model, "x", rows, 3);
    }

    @Test
    void aRankOneInputAndScalarOutput()
            throws Exception
    {
        byte[] model = new OnnxGraphBuilder("scalar")
                .input("x", FLOAT, DYNAMIC)
                .output("y", FLOAT, DYNAMIC)
                .floatInitializer("k", new float[] {1.5f}, new long[0])
                .node("Mul").inputs("x", "k").outputs("m").add()
                .node("Exp").inputs("m").outputs("y").add()
                .build();
        RuntimeComparison.compare(model, "x", new float[] {0, 1, -2, 3.25f, 80, -200, Float.NaN}, 0);
    }

    @Test
    void whatIsNotCompiledIsNamed()
    {
        byte[] loop = new OnnxGraphBuilder("strings")
                .input("x", STRING, DYNAMIC)
                .output("y", STRING, DYNAMIC)
                .node("StringNormalizer").inputs("x").outputs("y").add()
                .build();
        assertThatThrownBy(() -> CompiledModel.compile(ByteBuffer.wrap(loop)))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageContaining("StringNormalizer");
        byte[] batchAxis = new OnnxGraphBuilder("batch")
                .input("x", FLOAT, DYNAMIC, 2)
                .output("y", FLOAT, 1, DYNAMIC)
                .longInitializer("axes", new long[] {0}, 1)
                .node("ReduceSum").inputs("x", "axes").outputs("y").add()
                .build();
        assertThatThrownBy(() -> CompiledModel.compile(ByteBuffer.wrap(batchAxis)))
                .isInstanceOf(UnsupportedGraphException.class)
                .hasMessageContaining("ReduceSum");
    }

    @Test
    void aFrameIsReusedWithoutAllocating()
    {
        CompiledModel model = CompiledModel.compile(ByteBuffer.wrap(TestModels.linearRegression()));
        Frame frame = model.newFrame();
        Value input = model.inputs().get(0);
        Value output = model.outputs().get(0).value();
        for (int row = 0; row < 3; row++) {
            for (int i = 0; i < 4; i++) {
                frame.numbers()[input.offset() + i] = row + i;
            }
            model.evaluate(frame);
            double expected = TestModels.linearReference(row, row + 1, row + 2, row + 3);
            assertThat(frame.numbers()[output.offset()]).isCloseTo(expected, within(1e-5));
        }
        assertThat(model.multiplyAdds()).isEqualTo(4);
    }

    private static float[] weights(Random random, int count)
    {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.3);
        }
        return values;
    }

    private static float[] inputs(Random random, int rows, int width)
    {
        float[] values = new float[rows * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 2);
        }
        return values;
    }
}
