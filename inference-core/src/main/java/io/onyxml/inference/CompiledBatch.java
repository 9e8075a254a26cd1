package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.inference.compiled.CompiledModel;
import io.onyxml.inference.compiled.Frame;
import io.onyxml.inference.compiled.Value;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static java.lang.String.format;

/**
 * Scores the selected rows of a batch with a compiled model, row by row in one frame per thread: the inputs are
 * converted and checked exactly as for ONNX Runtime ({@link InputTensors#javaValues}), and the outputs come back as
 * the columns {@link OutputReader} makes of ONNX Runtime's tensors.
 */
final class CompiledBatch
{
    private CompiledBatch() {}

    static List<Column> run(PredictionPlan plan, CompiledModel model, Frame frame, ColumnBatch batch, RowSelection selection, ScratchBuffers scratch)
    {
        ModelManifest manifest = plan.manifest();
        List<InputBinding> bindings = plan.inputs();
        int rows = selection.count();
        Value[] inputs = new Value[bindings.size()];
        Object[] values = new Object[bindings.size()];
        for (int slot = 0; slot < bindings.size(); slot++) {
            InputBinding binding = bindings.get(slot);
            InputTensors.Layout layout = InputTensors.layout(manifest, binding, batch, selection);
            inputs[slot] = input(model, binding, layout.width(), manifest);
            values[slot] = InputTensors.javaValues(manifest, binding, layout, scratch, slot);
        }
        List<OutputBinding> outputs = plan.outputs();
        CompiledModel.Output[] compiledOutputs = new CompiledModel.Output[outputs.size()];
        Value[] results = new Value[outputs.size()];
        Object[] columns = new Object[outputs.size()];
        for (int index = 0; index < outputs.size(); index++) {
            String name = outputs.get(index).output().name();
            compiledOutputs[index] = model.output(name).orElseThrow(() -> new IllegalStateException("compiled model has no output " + name));
            results[index] = compiledOutputs[index].value();
            columns[index] = newValues(results[index].type(), rows * results[index].size());
        }
        double[] numbers = frame.numbers();
        String[] texts = frame.texts();
        for (int row = 0; row < rows; row++) {
            for (int slot = 0; slot < inputs.length; slot++) {
                copyIn(values[slot], row, inputs[slot], numbers, texts);
            }
            model.evaluate(frame);
            for (int index = 0; index < results.length; index++) {
                copyOut(results[index], numbers, texts, columns[index], row);
            }
        }
        ImmutableList.Builder<Column> result = ImmutableList.builder();
        for (int index = 0; index < outputs.size(); index++) {
            result.add(column(manifest, outputs.get(index), compiledOutputs[index], columns[index], rows));
        }
        return result.build();
    }

    private static Value input(CompiledModel model, InputBinding binding, int width, ModelManifest manifest)
    {
        Value value = model.inputs().stream()
                .filter(input -> input.name().equals(binding.input().name()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("compiled model has no input " + binding.input().name()));
        if (value.size() != width) {
            throw new OnyxException(INFERENCE_FAILED, format("Model %s input '%s' (%s) got %s values per row", manifest.reference(), binding.input().name(), binding.input().typeText(), width));
        }
        return value;
    }

    private static void copyIn(Object values, int row, Value input, double[] numbers, String[] texts)
    {
        int width = input.size();
        int from = row * width;
        int to = input.offset();
        if (values instanceof float[] floats) {
            for (int i = 0; i < width; i++) {
                numbers[to + i] = floats[from + i];
            }
        }
        else if (values instanceof double[] doubles) {
            System.arraycopy(doubles, from, numbers, to, width);
        }
        else if (values instanceof long[] longs) {
            for (int i = 0; i < width; i++) {
                numbers[to + i] = longs[from + i];
            }
        }
        else if (values instanceof int[] ints) {
            for (int i = 0; i < width; i++) {
                numbers[to + i] = ints[from + i];
            }
        }
        else if (values instanceof boolean[] booleans) {
            for (int i = 0; i < width; i++) {
                numbers[to + i] = booleans[from + i] ? 1 : 0;
            }
        }
        else {
            System.arraycopy((String[]) values, from, texts, to, width);
        }
    }

    private static Object newValues(ElementType type, int size)
    {
        return switch (type) {
            case FLOAT -> new float[size];
            case DOUBLE -> new double[size];
            case INT64 -> new long[size];
            case INT32 -> new int[size];
            case BOOL -> new boolean[size];
            case STRING -> new String[size];
            default -> throw new IllegalStateException("unexpected output type " + type);
        };
    }

    private static void copyOut(Value output, double[] numbers, String[] texts, Object values, int row)
    {
        int width = output.size();
        int from = output.offset();
        int to = row * width;
        if (values instanceof float[] floats) {
            for (int i = 0; i < width; i++) {
                floats[to + i] = (float) numbers[from + i];
            }
        }
        else if (values instanceof double[] doubles) {
            System.arraycopy(numbers, from, doubles, to, width);
        }
        else if (values instanceof long[] longs) {
            for (int i = 0; i < width; i++) {
                longs[to + i] = (long) numbers[from + i];
            }
        }
        else if (values instanceof int[] ints) {
            for (int i = 0; i < width; i++) {
                ints[to + i] = (int) numbers[from + i];
            }
        }
        else if (values instanceof boolean[] booleans) {
            for (int i = 0; i < width; i++) {
                booleans[to + i] = numbers[from + i] != 0;
            }
        }
        else {
            System.arraycopy(texts, from, (String[]) values, to, width);
        }
    }

    private static Column column(ModelManifest manifest, OutputBinding binding, CompiledModel.Output output, Object values, int rows)
    {
        Column flat = flatColumn(values);
        ColumnType type = binding.column().type();
        int width = output.value().size();
        if (type instanceof ColumnType.MapType mapType) {
            return maps(manifest, binding, output, mapType, flat, rows);
        }
        if (type instanceof ScalarType) {
            if (width != 1) {
                throw new OnyxException(INFERENCE_FAILED, format("Model %s output '%s' (%s) returned %s values per row where its signature promises one", manifest.reference(), binding.output().name(), binding.output().typeText(), width));
            }
            return flat;
        }
        return ArrayColumn.fixedWidth(flat, width, null);
    }

    private static Column flatColumn(Object values)
    {
        if (values instanceof float[] floats) {
            return new FloatColumn(floats, null);
        }
        if (values instanceof double[] doubles) {
            return new DoubleColumn(doubles, null);
        }
        if (values instanceof long[] longs) {
            return new LongColumn(longs, null);
        }
        if (values instanceof int[] ints) {
            return new IntColumn(ints, null);
        }
        if (values instanceof boolean[] booleans) {
            return new BooleanColumn(booleans, null);
        }
        return new StringColumn((String[]) values);
    }

    private static Column maps(ModelManifest manifest, OutputBinding binding, CompiledModel.Output output, ColumnType.MapType type, Column values, int rows)
    {
        List<Object> keys = output.mapKeys().orElseThrow(() -> new IllegalStateException("output " + binding.output().name() + " is not a map"));
        List<Object> ordered = OutputReader.orderedKeys(manifest, keys);
        int width = keys.size();
        int[] positions = new int[width];
        for (int i = 0; i < width; i++) {
            positions[i] = keys.indexOf(ordered.get(i));
        }
        int[] offsets = new int[rows + 1];
        Object[] keyValues = new Object[rows * width];
        double[] valueValues = new double[rows * width];
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < width; i++) {
                keyValues[row * width + i] = ordered.get(i);
                valueValues[row * width + i] = ((Number) values.value(row * width + positions[i])).doubleValue();
            }
            offsets[row + 1] = (row + 1) * width;
        }
        return new MapColumn(offsets, OutputReader.column(type.keyType(), List.of(keyValues)), OutputReader.column(type.valueType(), doubleList(valueValues)), null);
    }

    private static List<Object> doubleList(double[] values)
    {
        ImmutableList.Builder<Object> list = ImmutableList.builderWithExpectedSize(values.length);
        for (double value : values) {
            list.add(value);
        }
        return list.build();
    }
}
