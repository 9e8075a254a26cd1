package io.onyxml.inference;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import com.google.common.math.LongMath;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static java.lang.String.format;

/**
 * Turns what ONNX Runtime returned for one output into a column with one row per scored row.
 */
final class OutputReader
{
    // the longest array the JVM allocates
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private OutputReader() {}

    static Column read(ModelManifest manifest, OutputBinding binding, OnnxValue value, int rows)
            throws OrtException
    {
        ColumnType type = binding.column().type();
        // the load compared the outputs ONNX Runtime reports with the manifest; a run that returns others fails here
        if (type instanceof ColumnType.MapType mapType) {
            if (!(value instanceof OnnxSequence sequence)) {
                throw unexpected(manifest, binding, "a " + value.getInfo());
            }
            return readMaps(manifest, binding, sequence, mapType, rows);
        }
        if (!(value instanceof OnnxTensor tensor)) {
            throw unexpected(manifest, binding, "a " + value.getInfo());
        }
        String elementType = ModelLoader.elementTypeName(tensor.getInfo());
        if (!elementType.equals(binding.output().elementType().displayName())) {
            throw unexpected(manifest, binding, elementType + " values");
        }
        checkHeapRoom(manifest, binding, tensor.getInfo().getNumElements(), rows);
        Column values = readValues(tensor, binding);
        if (values.size() % Math.max(rows, 1) != 0 || (rows == 0 && values.size() != 0)) {
            throw unexpected(manifest, binding, format("%s values for %s rows", values.size(), rows));
        }
        int width = rows == 0 ? 1 : values.size() / rows;
        if (type instanceof ScalarType) {
            if (width != 1) {
                throw unexpected(manifest, binding, format("%s values per row where its signature promises one", width));
            }
            return values;
        }
        return ArrayColumn.fixedWidth(values, width, null);
    }

    /**
     * Refuses an output that copying into the heap would make the JVM run out of memory, or that no Java array
     * holds: a tiny model can expand a tiny input into a tensor of gigabytes (Expand, Tile, ConstantOfShape), which
     * ONNX Runtime allocates outside the heap. One call's output may take a quarter of the heap.
     */
    static void checkHeapRoom(ModelManifest manifest, OutputBinding binding, long values, int rows)
    {
        long heap = Runtime.getRuntime().maxMemory();
        long bytes = LongMath.saturatedMultiply(values, heapBytesPerValue(binding.output().elementType()));
        if (values > MAX_ARRAY_LENGTH || bytes > heap / 4) {
            throw unexpected(manifest, binding, format(
                    "%s values for %s rows, which take %s bytes in the JVM, more than the %s bytes (a quarter of the JVM's heap) that Onyx lets the output of one call take",
                    values,
                    rows,
                    bytes,
                    heap / 4));
        }
    }

    /**
     * The heap a value takes in its column, and in the copy ONNX Runtime's Java API makes on the way.
     */
    private static long heapBytesPerValue(ElementType type)
    {
        return switch (type) {
            case FLOAT, FLOAT16, BFLOAT16 -> Float.BYTES;
            case DOUBLE -> Double.BYTES;
            case INT64, UINT64 -> 2 * Long.BYTES;
            case UINT32 -> Integer.BYTES + Long.BYTES;
            case INT32 -> 2 * Integer.BYTES;
            case INT16, UINT16 -> Short.BYTES + Integer.BYTES;
            case INT8, UINT8 -> 1 + Integer.BYTES;
            case BOOL -> 2;
            // a reference and a String object at least, in the nested arrays ONNX Runtime returns and in the column
            default -> 64;
        };
    }

    private static Column readValues(OnnxTensor tensor, OutputBinding binding)
            throws OrtException
    {
        switch (binding.output().elementType()) {
            case FLOAT, FLOAT16, BFLOAT16:
                return new FloatColumn(floats(tensor.getFloatBuffer()), null);
            case DOUBLE:
                return new DoubleColumn(doubles(tensor.getDoubleBuffer()), null);
            case STRING:
                return new StringColumn(flatten(tensor.getValue()));
            default:
                break;
        }
        ByteBuffer bytes = tensor.getByteBuffer();
        return switch (binding.output().elementType()) {
            case INT64, UINT64 -> {
                long[] values = new long[bytes.remaining() / Long.BYTES];
                bytes.asLongBuffer().get(values);
                yield new LongColumn(values, null);
            }
            case UINT32 -> {
                long[] values = new long[bytes.remaining() / Integer.BYTES];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Integer.toUnsignedLong(bytes.getInt(i * Integer.BYTES));
                }
                yield new LongColumn(values, null);
            }
            case INT32 -> {
                int[] values = new int[bytes.remaining() / Integer.BYTES];
                bytes.asIntBuffer().get(values);
                yield new IntColumn(values, null);
            }
            case INT16, UINT16 -> {
                int[] values = new int[bytes.remaining() / Short.BYTES];
                boolean unsigned = binding.output().elementType() == ElementType.UINT16;
                for (int i = 0; i < values.length; i++) {
                    short value = bytes.getShort(i * Short.BYTES);
                    values[i] = unsigned ? Short.toUnsignedInt(value) : value;
                }
                yield new IntColumn(values, null);
            }
            case INT8, UINT8 -> {
                int[] values = new int[bytes.remaining()];
                boolean unsigned = binding.output().elementType() == ElementType.UINT8;
                for (int i = 0; i < values.length; i++) {
                    values[i] = unsigned ? Byte.toUnsignedInt(bytes.get(i)) : bytes.get(i);
                }
                yield new IntColumn(values, null);
            }
            case BOOL -> {
                boolean[] values = new boolean[bytes.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes.get(i) != 0;
                }
                yield new BooleanColumn(values, null);
            }
            default -> throw new IllegalStateException("no column type for " + binding.output().typeText());
        };
    }

    private static float[] floats(FloatBuffer buffer)
    {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    private static double[] doubles(DoubleBuffer buffer)
    {
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.array().length == buffer.remaining()) {
            return buffer.array();
        }
        double[] values = new double[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /**
     * A sequence with one map per row (ZipMap): keys in the order of the model's class labels when they match,
     * else in natural order.
     */
    private static Column readMaps(ModelManifest manifest, OutputBinding binding, OnnxSequence sequence, ColumnType.MapType type, int rows)
            throws OrtException
    {
        List<? extends OnnxValue> maps = sequence.getValue();
        if (maps.size() != rows) {
            throw unexpected(manifest, binding, format("%s maps for %s rows", maps.size(), rows));
        }
        List<Object> keys = null;
        List<Object> keyValues = new ArrayList<>();
        List<Object> valueValues = new ArrayList<>();
        int[] offsets = new int[rows + 1];
        for (int row = 0; row < rows; row++) {
            if (!(maps.get(row) instanceof OnnxMap onnxMap)) {
                throw unexpected(manifest, binding, "a sequence of " + maps.get(row).getInfo());
            }
            Map<?, ?> map = onnxMap.getValue();
            if (keys == null || !keys.containsAll(map.keySet()) || keys.size() != map.size()) {
                keys = orderedKeys(manifest, map);
            }
            for (Object key : keys) {
                keyValues.add(key);
                valueValues.add(map.get(key));
            }
            offsets[row + 1] = keyValues.size();
        }
        try {
            return new MapColumn(offsets, column(type.keyType(), keyValues), column(type.valueType(), valueValues), null);
        }
        catch (ClassCastException e) {
            throw unexpected(manifest, binding, "maps whose values are not " + type.valueType().displayName());
        }
    }

    static List<Object> orderedKeys(ModelManifest manifest, Map<?, ?> map)
    {
        return orderedKeys(manifest, map.keySet());
    }

    /**
     * Map keys in the order of the model's class labels when they match, else in natural order.
     */
    static List<Object> orderedKeys(ModelManifest manifest, Collection<?> mapKeys)
    {
        List<Object> keys = new ArrayList<>(mapKeys);
        List<String> labels = manifest.classLabels();
        if (keys.stream().allMatch(key -> labels.contains(String.valueOf(key)))) {
            keys.sort(Comparator.comparingInt(key -> labels.indexOf(String.valueOf(key))));
        }
        else {
            keys.sort(Comparator.comparing(String::valueOf));
        }
        return keys;
    }

    static Column column(ScalarType type, List<Object> values)
    {
        int size = values.size();
        switch (type) {
            case VARCHAR:
                return new StringColumn(values.stream().map(String::valueOf).toArray(String[]::new));
            case BIGINT: {
                long[] longs = new long[size];
                for (int i = 0; i < size; i++) {
                    longs[i] = ((Number) values.get(i)).longValue();
                }
                return new LongColumn(longs, null);
            }
            case DOUBLE: {
                double[] doubles = new double[size];
                for (int i = 0; i < size; i++) {
                    doubles[i] = ((Number) values.get(i)).doubleValue();
                }
                return new DoubleColumn(doubles, null);
            }
            case FLOAT: {
                float[] floats = new float[size];
                for (int i = 0; i < size; i++) {
                    floats[i] = ((Number) values.get(i)).floatValue();
                }
                return new FloatColumn(floats, null);
            }
            default:
                throw new IllegalStateException("unexpected map element type " + type);
        }
    }

    /**
     * String tensors come back as nested Java arrays, one level per axis.
     */
    private static String[] flatten(Object value)
    {
        List<String> values = new ArrayList<>();
        flatten(value, values);
        return values.toArray(String[]::new);
    }

    private static void flatten(Object value, List<String> values)
    {
        if (value instanceof String text) {
            values.add(text);
            return;
        }
        for (int i = 0; i < Array.getLength(value); i++) {
            flatten(Array.get(value, i), values);
        }
    }

    private static OnyxException unexpected(ModelManifest manifest, OutputBinding binding, String what)
    {
        return new OnyxException(INFERENCE_FAILED, format(
                "Model %s output '%s' (%s) returned %s",
                manifest.reference(),
                binding.output().name(),
                binding.output().typeText(),
                what));
    }
}
