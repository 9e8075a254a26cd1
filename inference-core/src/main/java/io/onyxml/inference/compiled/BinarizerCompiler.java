package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;
import io.onyxml.store.OnyxException;

import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static java.lang.String.format;

/**
 * {@code ai.onnx.ml.Binarizer} on floats (the type ONNX Runtime takes): 1 above the threshold, 0 otherwise. A NaN
 * fails the call, as it fails ONNX Runtime's, so that both evaluators answer alike.
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
        String name = node.proto().getName();
        return frame -> {
            double[] numbers = frame.numbers;
            for (int i = 0; i < size; i++) {
                double value = numbers[inputOffset + i];
                if (Double.isNaN(value)) {
                    throw new OnyxException(INFERENCE_FAILED, format("Binarizer node '%s' got NaN", name));
                }
                numbers[outputOffset + i] = value > threshold ? 1 : 0;
            }
        };
    }
}
