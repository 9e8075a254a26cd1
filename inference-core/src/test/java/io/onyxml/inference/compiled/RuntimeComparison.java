package io.onyxml.inference.compiled;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Scores the same rows with ONNX Runtime (one batch) and with the compiled model (row by row) and compares every
 * float, double and int64 output. Tolerance: an absolute {@code 1e-5} plus a relative {@code 1e-5} of the larger
 * magnitude; ONNX Runtime sums products in float in its own blocked order (and approximates exp, tanh and the
 * logistic function with its own vectorized code), the compiled model sums in double and rounds once, so the two
 * differ by float rounding of the sums, well inside this bound for the widths tested (64).
 */
final class RuntimeComparison
{
    static final double TOLERANCE = 1e-5;

    private RuntimeComparison() {}

    /**
     * @param rows the float input values, row-major, {@code width} per row
     */
    static void compare(byte[] model, String input, float[] rows, int width)
            throws OrtException
    {
        int count = rows.length / Math.max(width, 1);
        Map<String, float[]> expectedFloats = new LinkedHashMap<>();
        Map<String, long[]> expectedLongs = new LinkedHashMap<>();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = environment.createSession(model, options);
                    OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(rows), width == 0 ? new long[] {count} : new long[] {count, width});
                    OrtSession.Result result = session.run(Map.of(input, tensor))) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    OnnxTensor value = (OnnxTensor) output.getValue();
                    switch (value.getInfo().type) {
                        case FLOAT -> expectedFloats.put(output.getKey(), copy(value.getFloatBuffer()));
                        case INT64 -> expectedLongs.put(output.getKey(), copy(value.getLongBuffer()));
                        default -> throw new AssertionError("unexpected output type " + value.getInfo().type);
                    }
                }
            }
        }
        CompiledModel compiled = CompiledModel.compile(ByteBuffer.wrap(model));
        Frame frame = compiled.newFrame();
        Value in = compiled.inputs().get(0);
        int stride = Math.max(width, 1);
        for (int row = 0; row < count; row++) {
            for (int i = 0; i < stride; i++) {
                frame.numbers()[in.offset() + i] = rows[row * stride + i];
            }
            compiled.evaluate(frame);
            for (CompiledModel.Output output : compiled.outputs()) {
                Value value = output.value();
                for (int i = 0; i < value.size(); i++) {
                    double actual = frame.numbers()[value.offset() + i];
                    String where = "output " + output.name() + " row " + row + " value " + i;
                    if (expectedFloats.containsKey(output.name())) {
                        float expected = expectedFloats.get(output.name())[row * value.size() + i];
                        // a float output holds float values, rounded like ONNX Runtime's
                        if (!Double.isNaN(actual)) {
                            assertThat((double) (float) actual).as(where).isEqualTo(actual);
                        }
                        if (Float.isNaN(expected)) {
                            assertThat(actual).as(where).isNaN();
                        }
                        else {
                            assertThat(actual).as(where).isCloseTo(expected, within(TOLERANCE + TOLERANCE * Math.max(Math.abs(expected), Math.abs(actual))));
                        }
                    }
                    else {
                        assertThat((long) actual).as(where).isEqualTo(expectedLongs.get(output.name())[row * value.size() + i]);
                    }
                }
            }
        }
    }

    private static float[] copy(FloatBuffer buffer)
    {
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static long[] copy(LongBuffer buffer)
    {
        long[] values = new long[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
