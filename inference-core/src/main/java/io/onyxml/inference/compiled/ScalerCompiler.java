package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

import static java.lang.String.format;

/**
 * {@code ai.onnx.ml.Scaler}: {@code (x - offset) * scale} to float, one offset and scale per feature or one for all,
 * in ONNX Runtime's precision: float for float and integer inputs (integers are converted to float first), double
 * for double inputs.
 */
final class ScalerCompiler
{
    private static final Set<ElementType> INPUT_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32);

    private ScalerCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, INPUT_TYPES);
        float[] scale = node.floatsAttribute("scale");
        float[] offset = node.floatsAttribute("offset");
        if (scale.length == 0 || scale.length != offset.length) {
            throw node.unsupported(format("%s scales and %s offsets", scale.length, offset.length));
        }
        int stride = MlChecks.featureStride(node, input, scale.length);
        int inputOffset = input.offset();
        int outputOffset = node.output(0, ElementType.FLOAT, input.rowShape()).offset();
        int size = input.size();
        if (input.type() == ElementType.DOUBLE) {
            return frame -> {
                double[] numbers = frame.numbers;
                for (int i = 0; i < size; i++) {
                    int feature = i % stride;
                    numbers[outputOffset + i] = (float) ((numbers[inputOffset + i] - offset[feature]) * scale[feature]);
                }
            };
        }
        return frame -> {
            double[] numbers = frame.numbers;
            for (int i = 0; i < size; i++) {
                int feature = i % stride;
                numbers[outputOffset + i] = ((float) numbers[inputOffset + i] - offset[feature]) * scale[feature];
            }
        };
    }
}
