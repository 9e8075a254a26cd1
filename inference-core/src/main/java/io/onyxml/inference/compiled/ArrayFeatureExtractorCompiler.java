package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;
import java.util.Set;

/**
 * {@code ai.onnx.ml.ArrayFeatureExtractor} with constant indices: the values at those indices of the input's last
 * axis. An input [N] is refused (ONNX Runtime reads it as one row of N values, which depends on the batch), and so
 * are indices out of the axis (ONNX Runtime fails on those above it and reads outside the row for negative ones).
 */
final class ArrayFeatureExtractorCompiler
{
    private static final Set<ElementType> INPUT_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32, ElementType.STRING);

    private ArrayFeatureExtractorCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, INPUT_TYPES);
        if (input.rank() == 0) {
            throw node.unsupported("input [N], read by ONNX Runtime as one row");
        }
        Constant indexes = node.constant(1);
        if (indexes.type() != ElementType.INT64 || indexes.size() == 0) {
            throw node.unsupported("indices are not int64 or are empty");
        }
        int[] inputShape = input.rowShape();
        int stride = inputShape[inputShape.length - 1];
        int[] selected = new int[indexes.size()];
        for (int i = 0; i < selected.length; i++) {
            double index = indexes.number(i);
            if (index < 0 || index >= stride) {
                throw node.unsupported("index " + (long) index + " is outside the last axis of " + stride);
            }
            selected[i] = (int) index;
        }
        int[] outputShape = Arrays.copyOf(inputShape, inputShape.length);
        outputShape[outputShape.length - 1] = selected.length;
        int inputOffset = input.offset();
        int outputOffset = node.output(0, input.type(), outputShape).offset();
        int outer = input.size() / stride;
        boolean text = input.isText();
        return frame -> {
            for (int row = 0; row < outer; row++) {
                int from = inputOffset + row * stride;
                int to = outputOffset + row * selected.length;
                for (int i = 0; i < selected.length; i++) {
                    if (text) {
                        frame.texts[to + i] = frame.texts[from + selected[i]];
                    }
                    else {
                        frame.numbers[to + i] = frame.numbers[from + selected[i]];
                    }
                }
            }
        };
    }
}
