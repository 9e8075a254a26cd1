package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

/**
 * {@code ai.onnx.ml.Normalizer} of each row [K] to float, in float as ONNX Runtime computes it: by the highest value
 * (NaN ignored), the sum of absolute values or the square root of the sum of squares (each square computed in the
 * input's type, so int64 and int32 squares wrap around as in C++), a row whose norm is 0 left as it is.
 */
final class NormalizerCompiler
{
    private static final Set<ElementType> INPUT_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32);

    private NormalizerCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, INPUT_TYPES);
        int size = MlChecks.featureCount(node, input);
        String norm = node.stringAttribute("norm", "MAX");
        ElementType type = input.type();
        int inputOffset = input.offset();
        int outputOffset = node.output(0, ElementType.FLOAT, size).offset();
        return switch (norm) {
            case "MAX" -> frame -> {
                double[] numbers = frame.numbers;
                float max = -Float.MAX_VALUE;
                for (int i = 0; i < size; i++) {
                    float value = (float) numbers[inputOffset + i];
                    if (max < value) {
                        max = value;
                    }
                }
                divide(numbers, inputOffset, outputOffset, size, max);
            };
            case "L1" -> frame -> {
                double[] numbers = frame.numbers;
                float sum = 0;
                for (int i = 0; i < size; i++) {
                    sum += (float) Math.abs(numbers[inputOffset + i]);
                }
                divide(numbers, inputOffset, outputOffset, size, sum);
            };
            case "L2" -> frame -> {
                double[] numbers = frame.numbers;
                float sum = 0;
                for (int i = 0; i < size; i++) {
                    float square = square(type, numbers[inputOffset + i]);
                    numbers[outputOffset + i] = square;
                    sum += square;
                }
                if (sum == 0) {
                    copy(numbers, inputOffset, outputOffset, size);
                    return;
                }
                for (int i = 0; i < size; i++) {
                    float root = (float) Math.sqrt((float) numbers[outputOffset + i] / sum);
                    numbers[outputOffset + i] = numbers[inputOffset + i] < 0 ? -root : root;
                }
            };
            default -> throw node.unsupported("norm '" + norm + "'");
        };
    }

    private static float square(ElementType type, double value)
    {
        return switch (type) {
            case FLOAT -> (float) value * (float) value;
            case INT64 -> (long) value * (long) value;
            case INT32 -> (int) value * (int) value;
            default -> (float) (value * value);
        };
    }

    private static void divide(double[] numbers, int inputOffset, int outputOffset, int size, float norm)
    {
        if (norm == 0) {
            copy(numbers, inputOffset, outputOffset, size);
            return;
        }
        for (int i = 0; i < size; i++) {
            numbers[outputOffset + i] = (float) numbers[inputOffset + i] / norm;
        }
    }

    private static void copy(double[] numbers, int inputOffset, int outputOffset, int size)
    {
        for (int i = 0; i < size; i++) {
            numbers[outputOffset + i] = (float) numbers[inputOffset + i];
        }
    }
}
