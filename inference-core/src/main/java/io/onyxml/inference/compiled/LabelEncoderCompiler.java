package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ai.onnx.ml.LabelEncoder} of versions 1 and 2 (operator sets 1 to 3), as ONNX Runtime maps values: version 1
 * between strings and their index in {@code classes_strings} (a repeated string takes its last index); version 2 from
 * {@code keys_*} to {@code values_*} of another type (a repeated key keeps its first value; a float key matches
 * -0 and 0 alike and NaN never), with the default values of ONNX Runtime.
 */
final class LabelEncoderCompiler
{
    private LabelEncoderCompiler() {}

    static Step compile(NodeContext node)
    {
        long version = node.opsetVersion();
        if (version == 1) {
            return compileVersion1(node);
        }
        if (version <= 3) {
            return compileVersion2(node);
        }
        throw node.unsupported("version of operator set " + version);
    }

    private static Step compileVersion1(NodeContext node)
    {
        Value input = node.value(0);
        String[] classes = node.stringsAttribute("classes_strings");
        Lookup lookup;
        Values values;
        if (input.isText()) {
            lookup = Lookup.ofStrings(classes, false);
            values = Values.ofNumbers(Arrays.stream(indexes(classes.length)).asDoubleStream().toArray(), node.intAttribute("default_int64", -1), ElementType.INT64, node);
        }
        else if (input.type() == ElementType.INT64) {
            lookup = Lookup.ofLongs(indexes(classes.length), false);
            values = Values.ofTexts(classes, node.stringAttribute("default_string", "_Unused"));
        }
        else {
            throw node.unsupported("input of type " + input.type().displayName());
        }
        return step(node, input, lookup, values);
    }

    private static Step compileVersion2(NodeContext node)
    {
        Value input = node.value(0);
        Lookup lookup = switch (input.type()) {
            case STRING -> Lookup.ofStrings(node.stringsAttribute("keys_strings"), true);
            case INT64 -> Lookup.ofLongs(node.intsAttribute("keys_int64s"), true);
            case FLOAT -> Lookup.ofFloats(node.floatsAttribute("keys_floats"));
            default -> throw node.unsupported("input of type " + input.type().displayName());
        };
        boolean hasStrings = node.attribute("values_strings").isPresent();
        boolean hasLongs = node.attribute("values_int64s").isPresent();
        boolean hasFloats = node.attribute("values_floats").isPresent();
        if ((hasStrings ? 1 : 0) + (hasLongs ? 1 : 0) + (hasFloats ? 1 : 0) != 1) {
            throw node.unsupported("not exactly one list of values");
        }
        Values values;
        if (hasStrings && !input.isText()) {
            values = Values.ofTexts(node.stringsAttribute("values_strings"), node.stringAttribute("default_string", "_Unused"));
        }
        else if (hasLongs && input.type() != ElementType.INT64) {
            long[] longs = node.intsAttribute("values_int64s");
            double[] numbers = new double[longs.length];
            for (int i = 0; i < longs.length; i++) {
                numbers[i] = MlChecks.exactLong(node, longs[i]);
            }
            values = Values.ofNumbers(numbers, node.intAttribute("default_int64", -1), ElementType.INT64, node);
        }
        else if (hasFloats && input.type() != ElementType.FLOAT) {
            float[] floats = node.floatsAttribute("values_floats");
            double[] numbers = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                numbers[i] = floats[i];
            }
            values = Values.ofNumbers(numbers, node.floatAttribute("default_float", -0.0f), ElementType.FLOAT, node);
        }
        else {
            throw node.unsupported("values of the input's type " + input.type().displayName());
        }
        if (lookup.keyCount() != values.count()) {
            throw node.unsupported(lookup.keyCount() + " keys for " + values.count() + " values");
        }
        return step(node, input, lookup, values);
    }

    private static Step step(NodeContext node, Value input, Lookup lookup, Values values)
    {
        int inputOffset = input.offset();
        int outputOffset = node.output(0, values.type(), input.rowShape()).offset();
        int size = input.size();
        return frame -> {
            for (int i = 0; i < size; i++) {
                values.write(frame, outputOffset + i, lookup.find(frame, inputOffset + i));
            }
        };
    }

    private static long[] indexes(int count)
    {
        long[] indexes = new long[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = i;
        }
        return indexes;
    }

    /**
     * Finds the index of a row's key among the keys of the attributes, or -1.
     */
    private record Lookup(Map<String, Integer> strings, LongIndex numbers, boolean floatKeys, int keyCount)
    {
        static Lookup ofStrings(String[] keys, boolean firstWins)
        {
            Map<String, Integer> indexes = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                if (firstWins) {
                    indexes.putIfAbsent(keys[i], i);
                }
                else {
                    indexes.put(keys[i], i);
                }
            }
            return new Lookup(indexes, null, false, keys.length);
        }

        static Lookup ofLongs(long[] keys, boolean firstWins)
        {
            LongIndex indexes = new LongIndex(keys.length);
            for (int i = 0; i < keys.length; i++) {
                if (firstWins) {
                    indexes.putIfAbsent(keys[i], i);
                }
                else {
                    indexes.put(keys[i], i);
                }
            }
            return new Lookup(null, indexes, false, keys.length);
        }

        static Lookup ofFloats(float[] keys)
        {
            LongIndex indexes = new LongIndex(keys.length);
            for (int i = 0; i < keys.length; i++) {
                if (!Float.isNaN(keys[i])) {
                    indexes.putIfAbsent(floatKey(keys[i]), i);
                }
            }
            return new Lookup(null, indexes, true, keys.length);
        }

        int find(Frame frame, int slot)
        {
            if (strings != null) {
                Integer index = strings.get(frame.texts[slot]);
                return index == null ? -1 : index;
            }
            double value = frame.numbers[slot];
            if (floatKeys) {
                return Double.isNaN(value) ? -1 : numbers.get(floatKey((float) value));
            }
            return numbers.get((long) value);
        }

        private static long floatKey(float key)
        {
            return Float.floatToIntBits(key == 0 ? 0.0f : key);
        }
    }

    /**
     * The values of the attributes and the default, written to the output.
     */
    private record Values(double[] numbers, double defaultNumber, String[] texts, String defaultText, ElementType type)
    {
        static Values ofNumbers(double[] values, double defaultValue, ElementType type, NodeContext node)
        {
            if (type == ElementType.INT64) {
                MlChecks.exactLong(node, (long) defaultValue);
            }
            return new Values(values, defaultValue, null, null, type);
        }

        static Values ofTexts(String[] values, String defaultValue)
        {
            return new Values(null, 0, values, defaultValue, ElementType.STRING);
        }

        int count()
        {
            return texts == null ? numbers.length : texts.length;
        }

        void write(Frame frame, int slot, int index)
        {
            if (texts != null) {
                frame.texts[slot] = index < 0 ? defaultText : texts[index];
            }
            else {
                frame.numbers[slot] = index < 0 ? defaultNumber : numbers[index];
            }
        }
    }
}
