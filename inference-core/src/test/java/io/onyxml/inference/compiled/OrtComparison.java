package io.onyxml.inference.compiled;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.onyxml.store.ElementType;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a model on ONNX Runtime (one intra-op thread) and through {@link CompiledModel} row by row, and compares every
 * output: labels, integers and strings exactly, floats within a number of units in the last place.
 */
final class OrtComparison
{
    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final byte[] model;
    private final int rows;
    private final Map<String, Input> inputs = new LinkedHashMap<>();
    private String description = "";

    OrtComparison(byte[] model, int rows)
    {
        this.model = model.clone();
        this.rows = rows;
    }

    /**
     * @param values the batch's values, row after row: float[], double[], long[], int[] or String[]
     */
    OrtComparison input(String name, long[] shape, Object values)
    {
        inputs.put(name, new Input(shape, values));
        return this;
    }

    OrtComparison describedAs(String description)
    {
        this.description = description;
        return this;
    }

    /**
     * Asserts that every float output of the compiled model is within {@code ulps} of ONNX Runtime's, and every other
     * output equal.
     */
    void assertWithinUlps(int ulps)
    {
        assertWithin(ulps, 0);
    }

    /**
     * Asserts that every float output of the compiled model is within {@code ulps} of ONNX Runtime's or within
     * {@code absolute} of it, and every other output equal.
     */
    void assertWithin(int ulps, double absolute)
    {
        Map<String, List<Object>> expected = runOrt();
        Map<String, List<Object>> actual = runCompiled();
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String output : expected.keySet()) {
            List<Object> expectedValues = expected.get(output);
            List<Object> actualValues = actual.get(output);
            assertThat(actualValues).as("output %s", output).hasSameSizeAs(expectedValues);
            for (int i = 0; i < expectedValues.size(); i++) {
                Object expectedValue = expectedValues.get(i);
                Object actualValue = actualValues.get(i);
                if (expectedValue instanceof Float expectedFloat) {
                    assertThat(actualValue).isInstanceOf(Float.class);
                    float actualFloat = (Float) actualValue;
                    boolean close = ulpDistance(actualFloat, expectedFloat) <= ulps || Math.abs(actualFloat - expectedFloat) <= absolute;
                    assertThat(close)
                            .as("%s: output %s value %s: compiled %s, ONNX Runtime %s", description, output, i, actualValue, expectedValue)
                            .isTrue();
                }
                else {
                    assertThat(actualValue).as("%s: output %s value %s", description, output, i).isEqualTo(expectedValue);
                }
            }
        }
    }

    static long ulpDistance(float actual, float expected)
    {
        if (Float.isNaN(actual) || Float.isNaN(expected)) {
            return Float.isNaN(actual) && Float.isNaN(expected) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(actual) - ordered(expected));
    }

    // float bits mapped to integers in the order of the floats, -0 and 0 one apart
    private static long ordered(float value)
    {
        int bits = Float.floatToRawIntBits(value);
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits - 1;
    }

    private Map<String, List<Object>> runOrt()
    {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = ENVIRONMENT.createSession(model, options)) {
                for (Map.Entry<String, Input> input : inputs.entrySet()) {
                    tensors.put(input.getKey(), input.getValue().tensor());
                }
                try (OrtSession.Result result = session.run(tensors)) {
                    Map<String, List<Object>> outputs = new LinkedHashMap<>();
                    for (Map.Entry<String, OnnxValue> output : result) {
                        outputs.put(output.getKey(), flatten(output.getValue()));
                    }
                    return outputs;
                }
            }
        }
        catch (OrtException e) {
            throw new AssertionError("ONNX Runtime failed: " + e.getMessage(), e);
        }
        finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    private static List<Object> flatten(OnnxValue value)
            throws OrtException
    {
        List<Object> values = new ArrayList<>();
        if (value instanceof OnnxSequence sequence) {
            for (OnnxValue element : sequence.getValue()) {
                values.add(new HashMap<>(((OnnxMap) element).getValue()));
            }
            return values;
        }
        OnnxTensor tensor = (OnnxTensor) value;
        switch (tensor.getInfo().type) {
            case FLOAT -> {
                FloatBuffer buffer = tensor.getFloatBuffer();
                while (buffer.hasRemaining()) {
                    values.add(buffer.get());
                }
            }
            case DOUBLE -> {
                DoubleBuffer buffer = tensor.getDoubleBuffer();
                while (buffer.hasRemaining()) {
                    values.add(buffer.get());
                }
            }
            case INT64 -> {
                LongBuffer buffer = tensor.getLongBuffer();
                while (buffer.hasRemaining()) {
                    values.add(buffer.get());
                }
            }
            case INT32 -> {
                IntBuffer buffer = tensor.getIntBuffer();
                while (buffer.hasRemaining()) {
                    values.add(buffer.get());
                }
            }
            case STRING -> flattenStrings(tensor.getValue(), values);
            default -> throw new AssertionError("output type " + tensor.getInfo().type);
        }
        return values;
    }

    private static void flattenStrings(Object array, List<Object> values)
    {
        if (array instanceof String text) {
            values.add(text);
            return;
        }
        for (Object element : (Object[]) array) {
            flattenStrings(element, values);
        }
    }

    private Map<String, List<Object>> runCompiled()
    {
        CompiledModel compiled = CompiledModel.compile(ByteBuffer.wrap(model));
        Frame frame = compiled.newFrame();
        Map<String, List<Object>> outputs = new LinkedHashMap<>();
        compiled.outputs().forEach(output -> outputs.put(output.name(), new ArrayList<>()));
        for (int row = 0; row < rows; row++) {
            for (Value value : compiled.inputs()) {
                inputs.get(value.name()).write(frame, value, row);
            }
            compiled.evaluate(frame);
            for (CompiledModel.Output output : compiled.outputs()) {
                read(frame, output, outputs.get(output.name()));
            }
        }
        return outputs;
    }

    private static void read(Frame frame, CompiledModel.Output output, List<Object> values)
    {
        Value value = output.value();
        if (output.mapKeys().isPresent()) {
            Map<Object, Object> map = new HashMap<>();
            List<Object> keys = output.mapKeys().get();
            for (int i = 0; i < keys.size(); i++) {
                map.put(keys.get(i), (float) frame.numbers()[value.offset() + i]);
            }
            values.add(map);
            return;
        }
        for (int i = value.offset(); i < value.offset() + value.size(); i++) {
            values.add(value.isText() ? frame.texts()[i] : number(value.type(), frame.numbers()[i]));
        }
    }

    private static Object number(ElementType type, double number)
    {
        return switch (type) {
            case FLOAT -> {
                assertThat(Double.isNaN(number) || (float) number == number).as("a float value held exactly: %s", number).isTrue();
                yield (float) number;
            }
            case DOUBLE -> number;
            case INT64 -> (long) number;
            case INT32 -> (int) number;
            default -> throw new AssertionError("output type " + type);
        };
    }

    private record Input(long[] shape, Object values)
    {
        OnnxTensor tensor()
                throws OrtException
        {
            if (values instanceof float[] floats) {
                return OnnxTensor.createTensor(ENVIRONMENT, FloatBuffer.wrap(floats), shape);
            }
            if (values instanceof double[] doubles) {
                return OnnxTensor.createTensor(ENVIRONMENT, DoubleBuffer.wrap(doubles), shape);
            }
            if (values instanceof long[] longs) {
                return OnnxTensor.createTensor(ENVIRONMENT, LongBuffer.wrap(longs), shape);
            }
            if (values instanceof int[] ints) {
                return OnnxTensor.createTensor(ENVIRONMENT, IntBuffer.wrap(ints), shape);
            }
            return OnnxTensor.createTensor(ENVIRONMENT, (String[]) values, shape);
        }

        void write(Frame frame, Value value, int row)
        {
            int start = row * value.size();
            for (int i = 0; i < value.size(); i++) {
                int slot = value.offset() + i;
                if (values instanceof String[] texts) {
                    frame.texts()[slot] = texts[start + i];
                }
                else {
                    frame.numbers()[slot] = number(start + i);
                }
            }
        }

        private double number(int index)
        {
            if (values instanceof float[] floats) {
                return floats[index];
            }
            if (values instanceof double[] doubles) {
                return doubles[index];
            }
            if (values instanceof long[] longs) {
                return longs[index];
            }
            return ((int[]) values)[index];
        }
    }
}
