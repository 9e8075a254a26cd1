package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

/**
 * {@code ai.onnx.ml.Binarizer} on floats (the type ONNX Runtime takes): 1 above the threshold, 0 otherwise. ONNX
 * Runtime fails the whole batch on a NaN; here a NaN stays NaN.
 */
final class BinarizerCompiler
{
    private BinarizerCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, Set.of(ElementType.FLOAT));
        float threshold = node.floatAttribute("threshold", 0);
        int inputOffset = input.offset();
        int outputOffset = node.output(0, ElementType.FLOAT, input.rowShape()).offset();
        int size = input.size();
        return frame -> {
            double[] numbers = frame.numbers;
            for (int i = 0; i < size; i++) {
                double value = numbers[inputOffset + i];
                numbers[outputOffset + i] = Double.isNaN(value) ? value : (value > threshold ? 1 : 0);
            }
        };
    }
}
