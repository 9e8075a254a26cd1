package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static java.lang.String.format;

/**
 * How a model output column becomes a SQL result column. Floating point widens to double, integers to bigint, map
 * keys to varchar.
 */
public enum ResultConversion
{
    /**
     * Keeps the values, widened: float to double, integer to bigint, in scalars, arrays and maps.
     */
    WIDEN,
    /**
     * A number per row; a text label must hold a number.
     */
    TO_DOUBLE,
    /**
     * Text per row (labels that are numbers become their decimal text).
     */
    TO_VARCHAR,
    /**
     * An array of doubles per row: a scalar becomes a one-element array.
     */
    TO_DOUBLE_ARRAY,
    /**
     * A map from label to probability: a map output as it is, or an array of probabilities keyed by the model's class
     * labels (or by class index when it has none).
     */
    TO_PROBABILITY_MAP;

    public static ColumnType widened(ColumnType type)
    {
        if (type instanceof ColumnType.ArrayType array) {
            return ColumnType.array(widened(array.elementType()));
        }
        if (type instanceof ColumnType.MapType) {
            return ColumnType.map(ScalarType.VARCHAR, ScalarType.DOUBLE);
        }
        return widened((ScalarType) type);
    }

    private static ScalarType widened(ScalarType type)
    {
        return switch (type) {
            case FLOAT -> ScalarType.DOUBLE;
            case INTEGER -> ScalarType.BIGINT;
            default -> type;
        };
    }

    public Column apply(ModelManifest manifest, String outputName, Column column)
    {
        return switch (this) {
            case WIDEN -> widen(column);
            case TO_DOUBLE -> toDouble(manifest, outputName, column);
            case TO_VARCHAR -> labels(manifest, outputName, column);
            case TO_DOUBLE_ARRAY -> column instanceof ArrayColumn array
                    ? new ArrayColumn(array.offsets(), toDouble(manifest, outputName, array.elements()), array.nullMask())
                    : ArrayColumn.fixedWidth(toDouble(manifest, outputName, column), 1, column.nulls().orElse(null));
            case TO_PROBABILITY_MAP -> column instanceof MapColumn map
                    ? widen(map)
                    : probabilityMap(manifest, outputName, (ArrayColumn) column);
        };
    }

    private static Column widen(Column column)
    {
        if (column instanceof FloatColumn) {
            return toDouble(null, null, column);
        }
        if (column instanceof IntColumn ints) {
            return toLong(ints);
        }
        if (column instanceof ArrayColumn array) {
            return new ArrayColumn(array.offsets(), widen(array.elements()), array.nullMask());
        }
        if (column instanceof MapColumn map) {
            return new MapColumn(map.offsets(), toVarchar(map.keys()), toDouble(null, null, map.values()), map.nullMask());
        }
        return column;
    }

    private static DoubleColumn toDouble(ModelManifest manifest, String outputName, Column column)
    {
        int size = column.size();
        boolean[] nulls = column.nulls().orElse(null);
        if (column instanceof DoubleColumn doubles) {
            return doubles;
        }
        double[] values = new double[size];
        if (column instanceof FloatColumn floats) {
            float[] source = floats.values();
            for (int row = 0; row < size; row++) {
                values[row] = source[row];
            }
        }
        else if (column instanceof LongColumn longs) {
            long[] source = longs.values();
            for (int row = 0; row < size; row++) {
                values[row] = source[row];
            }
        }
        else if (column instanceof IntColumn ints) {
            int[] source = ints.values();
            for (int row = 0; row < size; row++) {
                values[row] = source[row];
            }
        }
        else if (column instanceof StringColumn strings) {
            for (int row = 0; row < size; row++) {
                String label = strings.values()[row];
                if (label != null) {
                    values[row] = parseLabel(manifest, outputName, label);
                }
            }
        }
        else {
            throw new OnyxException(INFERENCE_FAILED, format("Model %s output '%s' of type %s is not a number", manifest.reference(), outputName, column.type().displayName()));
        }
        return new DoubleColumn(values, nulls);
    }

    private static double parseLabel(ModelManifest manifest, String outputName, String label)
    {
        try {
            return Double.parseDouble(label);
        }
        catch (NumberFormatException e) {
            throw new OnyxException(INFERENCE_FAILED, format(
                    "Model %s predicted the label '%s' (output '%s'), which is not a number; use predict_label for text labels",
                    manifest.reference(),
                    label,
                    outputName), e);
        }
    }

    private static LongColumn toLong(IntColumn column)
    {
        long[] values = new long[column.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = column.values()[row];
        }
        return new LongColumn(values, column.nullMask());
    }

    /**
     * A label output as text. When the output holds integers and the model's class labels are not all whole numbers
     * (a classifier exported without ai.onnx.ml operators, registered with class_labels), each integer is the index
     * of its class label; otherwise the value is the label itself.
     */
    private static StringColumn labels(ModelManifest manifest, String outputName, Column column)
    {
        List<String> classes = manifest.classLabels();
        boolean integers = column instanceof LongColumn || column instanceof IntColumn;
        if (!integers || classes.isEmpty() || classes.stream().allMatch(label -> label.matches("-?[0-9]+"))) {
            return toVarchar(column);
        }
        String[] values = new String[column.size()];
        for (int row = 0; row < values.length; row++) {
            Object value = column.value(row);
            if (value == null) {
                continue;
            }
            long index = ((Number) value).longValue();
            if (index < 0 || index >= classes.size()) {
                throw new OnyxException(INFERENCE_FAILED, format(
                        "Model %s output '%s' returned class index %s, but the model has %s class labels",
                        manifest.reference(),
                        outputName,
                        index,
                        classes.size()));
            }
            values[row] = classes.get((int) index);
        }
        return new StringColumn(values);
    }

    private static StringColumn toVarchar(Column column)
    {
        if (column instanceof StringColumn strings) {
            return strings;
        }
        String[] values = new String[column.size()];
        for (int row = 0; row < values.length; row++) {
            Object value = column.value(row);
            values[row] = value == null ? null : value.toString();
        }
        return new StringColumn(values);
    }

    private static MapColumn probabilityMap(ModelManifest manifest, String outputName, ArrayColumn probabilities)
    {
        DoubleColumn values = toDouble(manifest, outputName, probabilities.elements());
        List<String> labels = manifest.classLabels();
        String[] keys = new String[values.size()];
        for (int row = 0; row < probabilities.size(); row++) {
            int width = probabilities.length(row);
            if (!labels.isEmpty() && width != labels.size() && !probabilities.isNull(row)) {
                throw new OnyxException(INFERENCE_FAILED, format(
                        "Model %s output '%s' has %s probabilities per row, but the model has %s class labels",
                        manifest.reference(),
                        outputName,
                        width,
                        labels.size()));
            }
            for (int k = 0; k < width; k++) {
                keys[probabilities.offsets()[row] + k] = labels.isEmpty() ? Integer.toString(k) : labels.get(k);
            }
        }
        return new MapColumn(probabilities.offsets(), new StringColumn(keys), values, probabilities.nullMask());
    }
}
