package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code ai.onnx.ml.OneHotEncoder}: each input value becomes {@code C} floats, 1 at the index of its category (the
 * last of equal categories, as in ONNX Runtime) and 0 elsewhere, in an output of the input's shape and one axis more.
 * Numbers are truncated to int64 as ONNX Runtime's cast does on x86 (NaN and values out of range become the lowest
 * int64). With {@code zeros = 0} ONNX Runtime fails the batch on an unknown category: such a model is refused.
 */
final class OneHotEncoderCompiler
{
    private static final Set<ElementType> INPUT_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.STRING);

    private OneHotEncoderCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, INPUT_TYPES);
        long[] longCategories = node.intsAttribute("cats_int64s");
        String[] stringCategories = node.stringsAttribute("cats_strings");
        if ((longCategories.length == 0) == (stringCategories.length == 0)) {
            throw node.unsupported("not exactly one of cats_int64s and cats_strings");
        }
        if (input.isText() != (stringCategories.length > 0)) {
            throw node.unsupported("categories of another type than the input, which match nothing");
        }
        if (node.intAttribute("zeros", 1) == 0) {
            throw node.unsupported("zeros = 0, with which ONNX Runtime fails a batch holding an unknown category");
        }
        int categories = Math.max(longCategories.length, stringCategories.length);
        int[] inputShape = input.rowShape();
        int[] outputShape = Arrays.copyOf(inputShape, inputShape.length + 1);
        outputShape[inputShape.length] = categories;
        int inputOffset = input.offset();
        int outputOffset = node.output(0, ElementType.FLOAT, outputShape).offset();
        int size = input.size();
        if (input.isText()) {
            Map<String, Integer> indexes = new HashMap<>();
            for (int i = 0; i < stringCategories.length; i++) {
                indexes.put(stringCategories[i], i);
            }
            return frame -> {
                double[] numbers = frame.numbers;
                Arrays.fill(numbers, outputOffset, outputOffset + size * categories, 0);
                for (int i = 0; i < size; i++) {
                    Integer category = indexes.get(frame.texts[inputOffset + i]);
                    if (category != null) {
                        numbers[outputOffset + i * categories + category] = 1;
                    }
                }
            };
        }
        LongIndex indexes = new LongIndex(categories);
        for (int i = 0; i < longCategories.length; i++) {
            indexes.put(longCategories[i], i);
        }
        boolean truncates = input.type() != ElementType.INT64;
        return frame -> {
            double[] numbers = frame.numbers;
            Arrays.fill(numbers, outputOffset, outputOffset + size * categories, 0);
            for (int i = 0; i < size; i++) {
                double value = numbers[inputOffset + i];
                int category = indexes.get(truncates ? truncate(value) : (long) value);
                if (category >= 0) {
                    numbers[outputOffset + i * categories + category] = 1;
                }
            }
        };
    }

    // x86's conversion (CVTTSD2SI): NaN and values out of the int64 range give the "integer indefinite" value
    static long truncate(double value)
    {
        if (!(value >= -0x1p63 && value < 0x1p63)) {
            return Long.MIN_VALUE;
        }
        return (long) value;
    }
}
