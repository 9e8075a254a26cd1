package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

/**
 * {@code ai.onnx.ml.Imputer} on float or int64 inputs (those ONNX Runtime takes): each value equal to the replaced
 * value, or NaN where the replaced value is NaN, becomes the imputed value of its feature (or the one imputed value).
 */
final class ImputerCompiler
{
    private ImputerCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, Set.of(ElementType.FLOAT, ElementType.INT64));
        float[] floats = node.floatsAttribute("imputed_value_floats");
        long[] longs = node.intsAttribute("imputed_value_int64s");
        // ONNX Runtime takes one list or the other, and fails rows whose type has none
        if ((floats.length == 0) == (longs.length == 0)) {
            throw node.unsupported("not exactly one of imputed_value_floats and imputed_value_int64s");
        }
        boolean isFloat = input.type() == ElementType.FLOAT;
        if (isFloat != (floats.length > 0)) {
            throw node.unsupported("imputed values of another type than the input");
        }
        double[] imputed = new double[isFloat ? floats.length : longs.length];
        for (int i = 0; i < imputed.length; i++) {
            imputed[i] = isFloat ? floats[i] : MlChecks.exactLong(node, longs[i]);
        }
        double replaced = isFloat ? node.floatAttribute("replaced_value_float", 0) : MlChecks.exactLong(node, node.intAttribute("replaced_value_int64", 0));
        boolean replacesNaN = Double.isNaN(replaced);
        int stride = MlChecks.featureStride(node, input, imputed.length);
        int inputOffset = input.offset();
        int outputOffset = node.output(0, input.type(), input.rowShape()).offset();
        int size = input.size();
        return frame -> {
            double[] numbers = frame.numbers;
            for (int i = 0; i < size; i++) {
                double value = numbers[inputOffset + i];
                boolean replace = value == replaced || (replacesNaN && Double.isNaN(value));
                numbers[outputOffset + i] = replace ? imputed[i % stride] : value;
            }
        };
    }
}
