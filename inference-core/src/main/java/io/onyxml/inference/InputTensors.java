package io.onyxml.inference;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.google.common.math.LongMath;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.inference.binding.InputBinding.ArrayInput;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueSpec;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;

/**
 * Builds the input tensors of one call from the columns of a batch: values are converted into a reused array in the
 * row-major layout of the tensor, reading only the selected rows, then copied in one block into a reused direct
 * buffer that ONNX Runtime reads without another copy.
 */
final class InputTensors
{
    private InputTensors() {}

    static OnnxTensor create(OrtEnvironment environment, ModelManifest manifest, InputBinding binding, ColumnBatch batch, RowSelection selection, ScratchBuffers scratch, int slot)
            throws OrtException
    {
        Layout layout = layout(manifest, binding, batch, selection);
        ValueSpec input = binding.input();
        Column[] sources = layout.sources();
        int[] sourceIndex = layout.sourceIndex();
        int count = layout.count();
        int stride = layout.stride();
        int elements = layout.elements();
        long[] shape = layout.shape();
        ElementType type = input.elementType();
        switch (type) {
            case FLOAT -> {
                FloatRange.check(manifest, binding, sources, sourceIndex, count);
                FloatBuffer direct = scratch.bytes(slot, elements * Float.BYTES).asFloatBuffer();
                if (ColumnPacking.packFloats(sources, sourceIndex, count, direct, stride)) {
                    return OnnxTensor.createTensor(environment, direct, shape);
                }
                float[] values = scratch.floats(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.floats(sources[k], sourceIndex, count, values, k, stride);
                }
                FloatBuffer out = direct.put(values, 0, elements).flip();
                return OnnxTensor.createTensor(environment, out, shape);
            }
            case DOUBLE -> {
                DoubleBuffer direct = scratch.bytes(slot, elements * Double.BYTES).asDoubleBuffer();
                if (ColumnPacking.packDoubles(sources, sourceIndex, count, direct, stride)) {
                    return OnnxTensor.createTensor(environment, direct, shape);
                }
                double[] values = scratch.doubles(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.doubles(sources[k], sourceIndex, count, values, k, stride);
                }
                DoubleBuffer out = direct.put(values, 0, elements).flip();
                return OnnxTensor.createTensor(environment, out, shape);
            }
            case INT64 -> {
                long[] values = scratch.longs(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.longs(sources[k], sourceIndex, count, values, k, stride);
                }
                LongBuffer out = scratch.bytes(slot, elements * Long.BYTES).asLongBuffer().put(values, 0, elements).flip();
                return OnnxTensor.createTensor(environment, out, shape);
            }
            case INT32 -> {
                int[] values = scratch.ints(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.ints(manifest, input, sources[k], sourceIndex, count, values, k, stride);
                }
                IntBuffer out = scratch.bytes(slot, elements * Integer.BYTES).asIntBuffer().put(values, 0, elements).flip();
                return OnnxTensor.createTensor(environment, out, shape);
            }
            case BOOL -> {
                ByteBuffer out = scratch.bytes(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.booleans(sources[k], sourceIndex, count, out, k, stride);
                }
                return OnnxTensor.createTensor(environment, out, shape, OnnxJavaType.BOOL);
            }
            case STRING -> {
                String[] out = new String[elements];
                for (int k = 0; k < sources.length; k++) {
                    Writers.strings(sources[k], sourceIndex, count, out, k, stride);
                }
                return OnnxTensor.createTensor(environment, out, shape);
            }
            default -> throw new IllegalStateException("not a feedable type: " + type);
        }
    }

    /**
     * Where the values of one input come from: the source columns, the rows read from them, and the tensor's shape.
     *
     * @param count values read from each source (rows for scalar columns, rows times width for an array column)
     * @param stride the distance between a source's consecutive values in the row-major tensor
     */
    record Layout(long[] shape, int rows, int width, Column[] sources, int[] sourceIndex, int count, int stride)
    {
        int elements()
        {
            return rows * width;
        }
    }

    static Layout layout(ModelManifest manifest, InputBinding binding, ColumnBatch batch, RowSelection selection)
    {
        int rows = selection.count();
        ValueSpec input = binding.input();
        if (binding instanceof ArrayInput array) {
            ArrayColumn column = (ArrayColumn) batch.column(array.column());
            int width = rowWidth(manifest, array, column, selection);
            long[] shape = arrayShape(manifest, input, rows, width);
            return new Layout(shape, rows, width, new Column[] {column.elements()}, elementIndex(column, selection, width), rows * width, 1);
        }
        List<Integer> columns = binding.columns();
        int width = columns.size();
        long[] shape = input.rank().orElse(1) == 1 && width == 1 ? new long[] {rows} : new long[] {rows, width};
        Column[] sources = new Column[width];
        for (int k = 0; k < width; k++) {
            sources[k] = batch.column(columns.get(k));
        }
        return new Layout(shape, rows, width, sources, selection.rows(), rows, width);
    }

    /**
     * The values of one input as a row-major Java array for the compiled evaluator, converted and checked as for a
     * tensor: {@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]} or {@code String[]}
     * of at least {@link Layout#elements()} values (the numeric arrays are reused by the thread's next call).
     */
    static Object javaValues(ModelManifest manifest, InputBinding binding, Layout layout, ScratchBuffers scratch, int slot)
    {
        Column[] sources = layout.sources();
        int elements = layout.elements();
        switch (binding.input().elementType()) {
            case FLOAT -> {
                FloatRange.check(manifest, binding, sources, layout.sourceIndex(), layout.count());
                float[] values = scratch.floats(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.floats(sources[k], layout.sourceIndex(), layout.count(), values, k, layout.stride());
                }
                return values;
            }
            case DOUBLE -> {
                double[] values = scratch.doubles(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.doubles(sources[k], layout.sourceIndex(), layout.count(), values, k, layout.stride());
                }
                return values;
            }
            case INT64 -> {
                long[] values = scratch.longs(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.longs(sources[k], layout.sourceIndex(), layout.count(), values, k, layout.stride());
                }
                return values;
            }
            case INT32 -> {
                int[] values = scratch.ints(slot, elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.ints(manifest, binding.input(), sources[k], layout.sourceIndex(), layout.count(), values, k, layout.stride());
                }
                return values;
            }
            case BOOL -> {
                ByteBuffer bytes = ByteBuffer.allocate(elements);
                for (int k = 0; k < sources.length; k++) {
                    Writers.booleans(sources[k], layout.sourceIndex(), layout.count(), bytes, k, layout.stride());
                }
                boolean[] values = new boolean[elements];
                for (int i = 0; i < elements; i++) {
                    values[i] = bytes.get(i) != 0;
                }
                return values;
            }
            case STRING -> {
                String[] values = new String[elements];
                for (int k = 0; k < sources.length; k++) {
                    Writers.strings(sources[k], layout.sourceIndex(), layout.count(), values, k, layout.stride());
                }
                return values;
            }
            default -> throw new IllegalStateException("not a feedable type: " + binding.input().elementType());
        }
    }

    /**
     * The elements per row: what the model declares, or else the length all selected rows share.
     */
    private static int rowWidth(ModelManifest manifest, ArrayInput binding, ArrayColumn column, RowSelection selection)
    {
        int[] offsets = column.offsets();
        long expected = binding.width() >= 0 ? binding.width() : column.length(selection.row(0));
        if (selection.isAll()) {
            // branch-free over all rows (the JIT vectorizes it); look for the culprit only when one is off
            long mismatch = 0;
            for (int row = 0; row < selection.count(); row++) {
                mismatch |= (offsets[row + 1] - offsets[row]) ^ expected;
            }
            if (mismatch == 0) {
                return checkNotEmpty(manifest, binding, expected);
            }
        }
        for (int i = 0; i < selection.count(); i++) {
            int length = column.length(selection.row(i));
            if (length != expected) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s input '%s' (%s) needs %s values per row%s, but a row of its array column has %s",
                        manifest.reference(),
                        binding.input().name(),
                        binding.input().typeText(),
                        expected,
                        binding.width() < 0 ? " (the length of the first row in the batch)" : "",
                        length));
            }
        }
        return checkNotEmpty(manifest, binding, expected);
    }

    private static int checkNotEmpty(ModelManifest manifest, ArrayInput binding, long width)
    {
        if (width == 0) {
            throw new OnyxException(INVALID_MODEL_INPUT, format("Model %s input '%s' (%s) got empty arrays", manifest.reference(), binding.input().name(), binding.input().typeText()));
        }
        return (int) width;
    }

    private static long[] arrayShape(ModelManifest manifest, ValueSpec input, int rows, int width)
    {
        if (input.shape().isEmpty() || input.shape().get().size() <= 2) {
            return new long[] {rows, width};
        }
        List<Long> declared = input.shape().get();
        long[] shape = new long[declared.size()];
        shape[0] = rows;
        long known = 1;
        int dynamicAxis = -1;
        for (int axis = 1; axis < shape.length; axis++) {
            shape[axis] = declared.get(axis);
            if (shape[axis] == ValueSpec.DYNAMIC) {
                if (dynamicAxis >= 0) {
                    throw new OnyxException(INVALID_MODEL_INPUT, format(
                            "Model %s input '%s' (%s) has several dynamic axes besides the batch; Onyx cannot tell its shape from a flat array",
                            manifest.reference(),
                            input.name(),
                            input.typeText()));
                }
                dynamicAxis = axis;
            }
            else {
                known = LongMath.saturatedMultiply(known, shape[axis]);
            }
        }
        if (dynamicAxis >= 0) {
            if (known == 0 || width % known != 0) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s input '%s' (%s) cannot take rows of %s values: their number must be a multiple of %s",
                        manifest.reference(),
                        input.name(),
                        input.typeText(),
                        width,
                        known));
            }
            shape[dynamicAxis] = width / known;
        }
        return shape;
    }

    /**
     * Where each tensor element is found among the array elements, or null when the selected rows' elements already
     * lie one after the other from the start.
     */
    private static int[] elementIndex(ArrayColumn column, RowSelection selection, int width)
    {
        int[] offsets = column.offsets();
        // every row was checked to hold exactly width elements, so starting at 0 means lying one after the other
        if (selection.isAll() && offsets[0] == 0) {
            return null;
        }
        int[] index = new int[selection.count() * width];
        for (int i = 0; i < selection.count(); i++) {
            int start = offsets[selection.row(i)];
            for (int j = 0; j < width; j++) {
                index[i * width + j] = start + j;
            }
        }
        return index;
    }

    /**
     * Copies {@code count} values of a column, read at {@code index[i]} (or {@code i} when the index is null), to
     * positions {@code offset + i * stride}, converting them to the tensor's element type. A NULL that reaches a
     * float or double tensor (the model handles missing values) becomes NaN.
     */
    private static final class Writers
    {
        private Writers() {}

        static void floats(Column source, int[] index, int count, float[] out, int offset, int stride)
        {
            if (source instanceof DoubleColumn column) {
                double[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Float.NaN : (float) values[row];
                }
            }
            else if (source instanceof FloatColumn column) {
                float[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Float.NaN : values[row];
                }
            }
            else if (source instanceof LongColumn column) {
                long[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Float.NaN : (float) values[row];
                }
            }
            else if (source instanceof BooleanColumn column) {
                boolean[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Float.NaN : values[row] ? 1 : 0;
                }
            }
            else {
                int[] values = ((IntColumn) source).values();
                boolean[] nulls = ((IntColumn) source).nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Float.NaN : (float) values[row];
                }
            }
        }

        static void doubles(Column source, int[] index, int count, double[] out, int offset, int stride)
        {
            if (source instanceof DoubleColumn column) {
                double[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Double.NaN : values[row];
                }
            }
            else if (source instanceof FloatColumn column) {
                float[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Double.NaN : values[row];
                }
            }
            else if (source instanceof LongColumn column) {
                long[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Double.NaN : (double) values[row];
                }
            }
            else if (source instanceof BooleanColumn column) {
                boolean[] values = column.values();
                boolean[] nulls = column.nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Double.NaN : values[row] ? 1 : 0;
                }
            }
            else {
                int[] values = ((IntColumn) source).values();
                boolean[] nulls = ((IntColumn) source).nullMask();
                for (int i = 0; i < count; i++) {
                    int row = index == null ? i : index[i];
                    out[offset + i * stride] = nulls != null && nulls[row] ? Double.NaN : values[row];
                }
            }
        }

        static void longs(Column source, int[] index, int count, long[] out, int offset, int stride)
        {
            if (source instanceof LongColumn column) {
                long[] values = column.values();
                for (int i = 0; i < count; i++) {
                    out[offset + i * stride] = values[index == null ? i : index[i]];
                }
            }
            else {
                int[] values = ((IntColumn) source).values();
                for (int i = 0; i < count; i++) {
                    out[offset + i * stride] = values[index == null ? i : index[i]];
                }
            }
        }

        static void ints(ModelManifest manifest, ValueSpec input, Column source, int[] index, int count, int[] out, int offset, int stride)
        {
            if (source instanceof IntColumn column) {
                int[] values = column.values();
                for (int i = 0; i < count; i++) {
                    out[offset + i * stride] = values[index == null ? i : index[i]];
                }
                return;
            }
            long[] values = ((LongColumn) source).values();
            for (int i = 0; i < count; i++) {
                long value = values[index == null ? i : index[i]];
                if (value != (int) value) {
                    throw new OnyxException(INVALID_MODEL_INPUT, format(
                            "Model %s input '%s' (%s) takes 32-bit integers, but got %s",
                            manifest.reference(),
                            input.name(),
                            input.typeText(),
                            value));
                }
                out[offset + i * stride] = (int) value;
            }
        }

        static void booleans(Column source, int[] index, int count, ByteBuffer out, int offset, int stride)
        {
            boolean[] values = ((BooleanColumn) source).values();
            for (int i = 0; i < count; i++) {
                out.put(offset + i * stride, values[index == null ? i : index[i]] ? (byte) 1 : (byte) 0);
            }
        }

        static void strings(Column source, int[] index, int count, String[] out, int offset, int stride)
        {
            String[] values = ((StringColumn) source).values();
            for (int i = 0; i < count; i++) {
                String value = values[index == null ? i : index[i]];
                // only rows of models that handle missing values reach here with a NULL: it is their reserved category
                out[offset + i * stride] = value == null ? MissingValues.TEXT : value;
            }
        }
    }
}
