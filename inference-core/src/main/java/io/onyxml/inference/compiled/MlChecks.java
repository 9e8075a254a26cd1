package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;
import java.util.Set;

/**
 * The checks the {@code ai.onnx.ml} operators share: input types, the rank ONNX Runtime reads as [batch, features],
 * and integer attributes a frame holds exactly.
 */
final class MlChecks
{
    private MlChecks() {}

    static Value input(NodeContext node, Set<ElementType> types)
    {
        Value input = node.value(0);
        if (!types.contains(input.type())) {
            throw node.unsupported("input of type " + input.type().displayName() + " is not among " + types.stream().map(ElementType::displayName).sorted().toList());
        }
        return input;
    }

    /**
     * The features of an input [N, K]: ONNX Runtime reads an input [N] as one row of N features (its result then
     * depends on the batch) and some operators read only two axes, so both are refused.
     */
    static int featureCount(NodeContext node, Value input)
    {
        if (input.rank() != 1) {
            throw node.unsupported("input of row shape " + Arrays.toString(input.rowShape()) + " is not [N, features]");
        }
        return input.rowShape()[0];
    }

    /**
     * The stride of per-feature attribute values of this count, as ONNX Runtime's Scaler and Imputer read them: one
     * value for all, or one per index of the input's second axis (ONNX Runtime reads an input [N] as N features,
     * which would depend on the batch, so there only one value is taken).
     */
    static int featureStride(NodeContext node, Value input, int count)
    {
        if (count == 1) {
            return 1;
        }
        if (input.rank() == 0 || input.rowShape()[0] != count) {
            throw node.unsupported(count + " per-feature values for an input of row shape " + Arrays.toString(input.rowShape()));
        }
        return count;
    }

    static double exactLong(NodeContext node, long value)
    {
        if (Math.abs(value) > (1L << 53)) {
            throw node.unsupported("an int64 attribute value beyond 2^53 is not held exactly");
        }
        return value;
    }

    static double[] exactLongs(NodeContext node, long[] values)
    {
        double[] exact = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            exact[i] = exactLong(node, values[i]);
        }
        return exact;
    }
}
