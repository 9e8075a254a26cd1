package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;
import io.onyxml.store.OnyxException;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static io.onyxml.inference.compiled.TestCompiledMlOperators.assertRefused;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.doubles;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.features;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.floats;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.ints;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.longs;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.model;
import static io.onyxml.inference.compiled.TestCompiledMlOperators.typeOf;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The preprocessing operators of {@link MlOperators} against ONNX Runtime. Their arithmetic is ONNX Runtime's,
 * operation for operation in the same precision, so every output must be equal (0 ulps).
 */
final class TestCompiledMlPreprocessing
{
    private static final int ROWS = 48;

    @Test
    void scalerMatchesOnnxRuntime()
    {
        for (int seed = 1; seed <= 8; seed++) {
            Random random = new Random(seed);
            int features = 1 + random.nextInt(6);
            int count = random.nextBoolean() ? features : 1;
            Object input = anyNumbers(random, ROWS * features);
            byte[] bytes = model()
                    .input("x", typeOf(input), -1, features)
                    .output("y", ElementType.FLOAT, -1, features)
                    .mlNode("Scaler").inputs("x").outputs("y")
                    .floats("offset", floats(random, count, 3))
                    .floats("scale", floats(random, count, 2))
                    .add().build();
            new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, features}, input).assertWithinUlps(0);
        }
    }

    @Test
    void imputerScalerAndRegressorChainMatchesOnnxRuntime()
    {
        for (int seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            int features = 1 + random.nextInt(6);
            OnnxGraphBuilder builder = model()
                    .input("x", ElementType.FLOAT, -1, features)
                    .output("y", ElementType.FLOAT, -1, 1);
            if (seed % 2 == 0) {
                builder.mlNode("Imputer").inputs("x").outputs("imputed")
                        .floats("imputed_value_floats", floats(random, features, 1))
                        .attribute("replaced_value_float", Float.NaN)
                        .add();
            }
            else {
                builder.mlNode("Imputer").inputs("x").outputs("imputed")
                        .floats("imputed_value_floats", 0.5f)
                        .attribute("replaced_value_float", 0.0f)
                        .add();
            }
            byte[] bytes = builder
                    .mlNode("Scaler").inputs("imputed").outputs("scaled")
                    .floats("offset", floats(random, features, 1))
                    .floats("scale", floats(random, features, 1))
                    .add()
                    .mlNode("LinearRegressor").inputs("scaled").outputs("y")
                    .floats("coefficients", floats(random, features, 1))
                    .floats("intercepts", 0.25f)
                    .add().build();
            new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, features}, features(random, ROWS * features)).assertWithinUlps(0);
        }
    }

    @Test
    void imputerOfIntegersMatchesOnnxRuntime()
    {
        Random random = new Random(3);
        byte[] bytes = model()
                .input("x", ElementType.INT64, -1, 3)
                .output("y", ElementType.INT64, -1, 3)
                .mlNode("Imputer").inputs("x").outputs("y")
                .ints("imputed_value_int64s", 100, 200, 300)
                .attribute("replaced_value_int64", -3L)
                .add().build();
        new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, 3}, longs(random, ROWS * 3)).assertWithinUlps(0);
    }

    @Test
    void oneHotEncoderMatchesOnnxRuntime()
    {
        Random random = new Random(5);
        long[] categories = {3, -2, 7, 0, 3, 11};
        long[][] shapes = {{ROWS}, {ROWS, 1}, {ROWS, 3}};
        for (long[] shape : shapes) {
            int size = (int) (shape.length == 1 ? ROWS : ROWS * shape[1]);
            long[] outputShape = shape.length == 1 ? new long[] {-1, categories.length} : new long[] {-1, shape[1], categories.length};
            long[] rowShape = shape.length == 1 ? new long[] {-1} : new long[] {-1, shape[1]};
            float[] fractional = features(random, size);
            for (int i = 0; i < size; i += 3) {
                fractional[i] = random.nextInt(14) - 3 + (random.nextBoolean() ? 0.5f : 0);
            }
            fractional[0] = 1e30f;
            double[] wide = doubles(random, size);
            for (int i = 0; i < size; i += 2) {
                wide[i] = random.nextInt(14) - 3;
            }
            for (Object input : List.of(longs(random, size), fractional, wide)) {
                byte[] bytes = model()
                        .input("x", typeOf(input), rowShape)
                        .output("y", ElementType.FLOAT, outputShape)
                        .mlNode("OneHotEncoder").inputs("x").outputs("y")
                        .ints("cats_int64s", categories)
                        .add().build();
                new OrtComparison(bytes, ROWS).input("x", shape, input).assertWithinUlps(0);
            }
        }
        String[] texts = new String[ROWS * 2];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = List.of("red", "green", "blue", "", "RED", "unknown").get(random.nextInt(6));
        }
        byte[] bytes = model()
                .input("x", ElementType.STRING, -1, 2)
                .output("y", ElementType.FLOAT, -1, 2, 4)
                .mlNode("OneHotEncoder").inputs("x").outputs("y")
                .strings("cats_strings", "red", "green", "blue", "")
                .add().build();
        new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, 2}, texts).assertWithinUlps(0);
    }

    @Test
    void zipMapOfClassifierMatchesOnnxRuntime()
    {
        Random random = new Random(11);
        for (boolean strings : new boolean[] {false, true}) {
            OnnxGraphBuilder builder = model()
                    .input("x", ElementType.FLOAT, -1, 2)
                    .output("label", strings ? ElementType.STRING : ElementType.INT64, -1)
                    .sequenceOfMapsOutput("probabilities", strings ? ElementType.STRING : ElementType.INT64, ElementType.FLOAT);
            OnnxGraphBuilder.NodeBuilder classifier = builder.mlNode("LinearClassifier").inputs("x").outputs("label", "scores")
                    .floats("coefficients", floats(random, 6, 1))
                    .floats("intercepts", floats(random, 3, 1))
                    .attribute("post_transform", "LOGISTIC");
            OnnxGraphBuilder.NodeBuilder zipMap = builder.mlNode("ZipMap").inputs("scores").outputs("probabilities");
            if (strings) {
                classifier.strings("classlabels_strings", "b", "a", "c");
                zipMap.strings("classlabels_strings", "b", "a", "c");
            }
            else {
                classifier.ints("classlabels_ints", 5, -1, 2);
                zipMap.ints("classlabels_int64s", 5, -1, 2);
            }
            classifier.add();
            byte[] bytes = zipMap.add().build();
            new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, 2}, features(random, ROWS * 2)).assertWithinUlps(0);
        }
    }

    @Test
    void labelEncoderMatchesOnnxRuntime()
    {
        Random random = new Random(13);
        String[] texts = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            texts[i] = List.of("a", "b", "c", "d", "unknown", "").get(random.nextInt(6));
        }
        long[] longs = longs(random, ROWS);
        float[] floats = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            floats[i] = List.of(0.0f, -0.0f, 1.5f, 2.0f, Float.NaN, 7.0f, Float.POSITIVE_INFINITY).get(random.nextInt(7));
        }
        String[] keyStrings = {"a", "b", "c", "a"};
        long[] keyLongs = {1, -2, 3, 1};
        float[] keyFloats = {-0.0f, 1.5f, Float.NaN, 1.5f};
        assertEncoderMatches(texts, "keys_strings", keyStrings, "values_int64s", new long[] {10, 20, 30, 40}, ElementType.INT64, "default_int64", 7L);
        assertEncoderMatches(texts, "keys_strings", keyStrings, "values_floats", new float[] {0.5f, -1, 2, 3}, ElementType.FLOAT, null, null);
        assertEncoderMatches(longs, "keys_int64s", keyLongs, "values_strings", new String[] {"one", "minus two", "three", "again"}, ElementType.STRING, "default_string", "none");
        assertEncoderMatches(longs, "keys_int64s", keyLongs, "values_floats", new float[] {0.5f, -1, 2, 3}, ElementType.FLOAT, "default_float", 9.5f);
        assertEncoderMatches(floats, "keys_floats", keyFloats, "values_strings", new String[] {"zero", "one and a half", "nan", "again"}, ElementType.STRING, null, null);
        assertEncoderMatches(floats, "keys_floats", keyFloats, "values_int64s", new long[] {10, 20, 30, 40}, ElementType.INT64, null, null);
    }

    private static void assertEncoderMatches(Object input, String keysName, Object keys, String valuesName, Object values, ElementType outputType, String defaultName, Object defaultValue)
    {
        OnnxGraphBuilder.NodeBuilder node = model()
                .input("x", typeOf(input), -1)
                .output("y", outputType, -1)
                .mlNode("LabelEncoder").inputs("x").outputs("y");
        attribute(node, keysName, keys);
        attribute(node, valuesName, values);
        if (defaultName != null) {
            attribute(node, defaultName, defaultValue);
        }
        new OrtComparison(node.add().build(), ROWS).input("x", new long[] {ROWS}, input).assertWithinUlps(0);
    }

    private static void attribute(OnnxGraphBuilder.NodeBuilder node, String name, Object value)
    {
        if (value instanceof String[] texts) {
            node.strings(name, texts);
        }
        else if (value instanceof long[] longs) {
            node.ints(name, longs);
        }
        else if (value instanceof float[] floats) {
            node.floats(name, floats);
        }
        else if (value instanceof String text) {
            node.attribute(name, text);
        }
        else if (value instanceof Long number) {
            node.attribute(name, (long) number);
        }
        else {
            node.attribute(name, (float) (Float) value);
        }
    }

    @Test
    void labelEncoderOfVersionOneMatchesOnnxRuntime()
    {
        Random random = new Random(17);
        String[] texts = new String[ROWS];
        for (int i = 0; i < ROWS; i++) {
            texts[i] = List.of("x", "y", "z", "w").get(random.nextInt(4));
        }
        byte[] toLongs = new OnnxGraphBuilder("ml").opset("", 17).opset(OnnxGraphBuilder.ML_DOMAIN, 1)
                .input("x", ElementType.STRING, -1, 1)
                .output("y", ElementType.INT64, -1, 1)
                .mlNode("LabelEncoder").inputs("x").outputs("y")
                .strings("classes_strings", "x", "y", "x")
                .attribute("default_int64", -5L)
                .attribute("default_string", "?")
                .add().build();
        new OrtComparison(toLongs, ROWS).input("x", new long[] {ROWS, 1}, texts).assertWithinUlps(0);
        byte[] toStrings = new OnnxGraphBuilder("ml").opset("", 17).opset(OnnxGraphBuilder.ML_DOMAIN, 1)
                .input("x", ElementType.INT64, -1)
                .output("y", ElementType.STRING, -1)
                .mlNode("LabelEncoder").inputs("x").outputs("y")
                .strings("classes_strings", "x", "y", "x")
                .attribute("default_int64", -5L)
                .attribute("default_string", "?")
                .add().build();
        new OrtComparison(toStrings, ROWS).input("x", new long[] {ROWS}, longs(random, ROWS)).assertWithinUlps(0);
    }

    @Test
    void normalizerMatchesOnnxRuntime()
    {
        for (int seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            for (String norm : new String[] {"MAX", "L1", "L2"}) {
                int features = 1 + random.nextInt(5);
                Object input = anyNumbers(random, ROWS * features);
                if (input instanceof float[] floats) {
                    for (int i = 0; i < features; i++) {
                        floats[i] = 0;
                    }
                }
                byte[] bytes = model()
                        .input("x", typeOf(input), -1, features)
                        .output("y", ElementType.FLOAT, -1, features)
                        .mlNode("Normalizer").inputs("x").outputs("y")
                        .attribute("norm", norm)
                        .add().build();
                new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, features}, input).assertWithinUlps(0);
            }
        }
    }

    @Test
    void binarizerMatchesOnnxRuntime()
    {
        Random random = new Random(19);
        float[] input = floats(random, ROWS * 2, 2);
        input[0] = 0.5f;
        input[1] = Float.POSITIVE_INFINITY;
        input[2] = 0;
        input[3] = 1;
        for (boolean withThreshold : new boolean[] {false, true}) {
            OnnxGraphBuilder.NodeBuilder node = model()
                    .input("x", ElementType.FLOAT, -1, 2)
                    .output("y", ElementType.FLOAT, -1, 2)
                    .mlNode("Binarizer").inputs("x").outputs("y");
            if (withThreshold) {
                node.attribute("threshold", 0.5f);
            }
            new OrtComparison(node.add().build(), ROWS).input("x", new long[] {ROWS, 2}, input).assertWithinUlps(0);
        }
    }

    @Test
    void binarizerFailsOnNaNAsOnnxRuntimeDoes()
    {
        byte[] bytes = model()
                .input("x", ElementType.FLOAT, -1, 2)
                .output("y", ElementType.FLOAT, -1, 2)
                .mlNode("Binarizer").inputs("x").outputs("y").add()
                .build();
        CompiledModel compiled = CompiledModel.compile(ByteBuffer.wrap(bytes));
        Frame frame = compiled.newFrame();
        frame.numbers()[compiled.inputs().get(0).offset() + 1] = Double.NaN;
        assertThatThrownBy(() -> compiled.evaluate(frame))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("got NaN");
    }

    @Test
    void arrayFeatureExtractorMatchesOnnxRuntime()
    {
        Random random = new Random(23);
        String[] texts = new String[ROWS * 4];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = "t" + random.nextInt(10);
        }
        for (Object input : List.of(features(random, ROWS * 4), texts, longs(random, ROWS * 4))) {
            byte[] bytes = model()
                    .input("x", typeOf(input), -1, 4)
                    .longInitializer("indices", new long[] {3, 0, 3}, 3)
                    .output("y", typeOf(input), -1, 3)
                    .mlNode("ArrayFeatureExtractor").inputs("x", "indices").outputs("y")
                    .add().build();
            new OrtComparison(bytes, ROWS).input("x", new long[] {ROWS, 4}, input).assertWithinUlps(0);
        }
    }

    @Test
    void malformedAttributesAreRefused()
    {
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).output("y", ElementType.FLOAT, -1, 3)
                .mlNode("Scaler").inputs("x").outputs("y").floats("offset", 1, 2).floats("scale", 1, 2).add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).output("y", ElementType.FLOAT, -1, 3)
                .mlNode("Scaler").inputs("x").outputs("y").floats("offset", 1, 2, 3).floats("scale", 1).add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).output("y", ElementType.FLOAT, -1, 3)
                .mlNode("Imputer").inputs("x").outputs("y").floats("imputed_value_floats", 1, 2).attribute("replaced_value_float", 0.0f).add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).output("y", ElementType.FLOAT, -1, 3)
                .mlNode("Imputer").inputs("x").outputs("y").ints("imputed_value_int64s", 1).attribute("replaced_value_int64", 0L).add().build());
        assertRefused(model().input("x", ElementType.INT64, -1).output("y", ElementType.FLOAT, -1, 2)
                .mlNode("OneHotEncoder").inputs("x").outputs("y").ints("cats_int64s", 1, 2).attribute("zeros", 0L).add().build());
        assertRefused(model().input("x", ElementType.STRING, -1).output("y", ElementType.INT64, -1)
                .mlNode("LabelEncoder").inputs("x").outputs("y").strings("keys_strings", "a", "b").ints("values_int64s", 1).add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).sequenceOfMapsOutput("y", ElementType.INT64, ElementType.FLOAT)
                .mlNode("ZipMap").inputs("x").outputs("y").ints("classlabels_int64s", 1, 2).add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).longInitializer("indices", new long[] {3}, 1).output("y", ElementType.FLOAT, -1, 1)
                .mlNode("ArrayFeatureExtractor").inputs("x", "indices").outputs("y").add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1, 3).longInitializer("indices", new long[] {-1}, 1).output("y", ElementType.FLOAT, -1, 1)
                .mlNode("ArrayFeatureExtractor").inputs("x", "indices").outputs("y").add().build());
        assertRefused(model().input("x", ElementType.FLOAT, -1).output("y", ElementType.FLOAT, -1)
                .mlNode("Normalizer").inputs("x").outputs("y").add().build());
    }

    private static Object anyNumbers(Random random, int count)
    {
        return switch (random.nextInt(4)) {
            case 0 -> features(random, count);
            case 1 -> doubles(random, count);
            case 2 -> longs(random, count);
            default -> ints(random, count);
        };
    }
}
