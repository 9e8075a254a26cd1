package io.onyxml.inference.batch;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Operations on whole columns: spreading results computed for some rows of a batch back over all its rows (the other
 * rows becoming NULL), and joining the columns of consecutive batches into one.
 */
public final class Columns
{
    private Columns() {}

    /**
     * A column of {@code totalRows} rows in which row {@code rows[i]} holds row {@code i} of {@code dense} and every
     * other row is NULL.
     */
    public static Column scatter(Column dense, int[] rows, int totalRows)
    {
        boolean[] nulls = new boolean[totalRows];
        Arrays.fill(nulls, true);
        for (int i = 0; i < rows.length; i++) {
            nulls[rows[i]] = dense.isNull(i);
        }
        if (dense instanceof DoubleColumn column) {
            double[] values = new double[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new DoubleColumn(values, nulls);
        }
        if (dense instanceof FloatColumn column) {
            float[] values = new float[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new FloatColumn(values, nulls);
        }
        if (dense instanceof LongColumn column) {
            long[] values = new long[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new LongColumn(values, nulls);
        }
        if (dense instanceof IntColumn column) {
            int[] values = new int[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new IntColumn(values, nulls);
        }
        if (dense instanceof BooleanColumn column) {
            boolean[] values = new boolean[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new BooleanColumn(values, nulls);
        }
        if (dense instanceof StringColumn column) {
            String[] values = new String[totalRows];
            for (int i = 0; i < rows.length; i++) {
                values[rows[i]] = column.values()[i];
            }
            return new StringColumn(values);
        }
        if (dense instanceof ArrayColumn column) {
            return new ArrayColumn(scatterOffsets(column.offsets(), rows, totalRows), column.elements(), nulls);
        }
        MapColumn column = (MapColumn) dense;
        return new MapColumn(scatterOffsets(column.offsets(), rows, totalRows), column.keys(), column.values(), nulls);
    }

    /**
     * Offsets over the same elements, in which the rows not listed are empty. The listed rows keep their element
     * ranges, which works because {@code rows} is ascending and the dense rows' ranges follow each other.
     */
    private static int[] scatterOffsets(int[] denseOffsets, int[] rows, int totalRows)
    {
        int[] offsets = new int[totalRows + 1];
        int dense = 0;
        for (int row = 0; row < totalRows; row++) {
            offsets[row] = denseOffsets[dense];
            if (dense < rows.length && rows[dense] == row) {
                dense++;
            }
        }
        offsets[totalRows] = denseOffsets[dense];
        return offsets;
    }

    /**
     * The rows of several columns of one type, one after the other.
     */
    public static Column concat(List<Column> parts)
    {
        checkArgument(!parts.isEmpty(), "no columns to join");
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Column first = parts.get(0);
        checkArgument(parts.stream().allMatch(part -> part.type().equals(first.type())), "columns of different types");
        int rows = parts.stream().mapToInt(Column::size).sum();
        boolean[] nulls = null;
        if (parts.stream().anyMatch(part -> part.nulls().isPresent())) {
            nulls = new boolean[rows];
            int at = 0;
            for (Column part : parts) {
                for (int row = 0; row < part.size(); row++) {
                    nulls[at + row] = part.isNull(row);
                }
                at += part.size();
            }
        }
        if (first instanceof ArrayColumn) {
            List<ArrayColumn> arrays = parts.stream().map(ArrayColumn.class::cast).toList();
            return new ArrayColumn(joinOffsets(arrays.stream().map(ArrayColumn::offsets).toList(), arrays.stream().map(array -> array.elements().size()).toList()), concat(arrays.stream().map(ArrayColumn::elements).toList()), nulls);
        }
        if (first instanceof MapColumn) {
            List<MapColumn> maps = parts.stream().map(MapColumn.class::cast).toList();
            return new MapColumn(joinOffsets(maps.stream().map(MapColumn::offsets).toList(), maps.stream().map(map -> map.keys().size()).toList()), concat(maps.stream().map(MapColumn::keys).toList()), concat(maps.stream().map(MapColumn::values).toList()), nulls);
        }
        return switch ((ScalarType) first.type()) {
            case DOUBLE -> new DoubleColumn((double[]) joinValues(parts, rows, column -> ((DoubleColumn) column).values(), new double[rows]), nulls);
            case FLOAT -> new FloatColumn((float[]) joinValues(parts, rows, column -> ((FloatColumn) column).values(), new float[rows]), nulls);
            case BIGINT -> new LongColumn((long[]) joinValues(parts, rows, column -> ((LongColumn) column).values(), new long[rows]), nulls);
            case INTEGER -> new IntColumn((int[]) joinValues(parts, rows, column -> ((IntColumn) column).values(), new int[rows]), nulls);
            case BOOLEAN -> new BooleanColumn((boolean[]) joinValues(parts, rows, column -> ((BooleanColumn) column).values(), new boolean[rows]), nulls);
            case VARCHAR -> new StringColumn((String[]) joinValues(parts, rows, column -> ((StringColumn) column).values(), new String[rows]));
        };
    }

    private static Object joinValues(List<Column> parts, int rows, Function<Column, Object> values, Object target)
    {
        int at = 0;
        for (Column part : parts) {
            System.arraycopy(values.apply(part), 0, target, at, part.size());
            at += part.size();
        }
        return target;
    }

    /**
     * Offsets into the joined elements: each part's offsets moved by the elements of the parts before it.
     */
    private static int[] joinOffsets(List<int[]> offsets, List<Integer> elementCounts)
    {
        int rows = offsets.stream().mapToInt(part -> part.length - 1).sum();
        int[] joined = new int[rows + 1];
        int row = 0;
        int base = 0;
        for (int part = 0; part < offsets.size(); part++) {
            int[] partOffsets = offsets.get(part);
            for (int i = 0; i < partOffsets.length - 1; i++) {
                joined[row++] = base + partOffsets[i];
            }
            base += elementCounts.get(part);
            joined[row] = base - elementCounts.get(part) + partOffsets[partOffsets.length - 1];
        }
        return joined;
    }

    /**
     * A column of the given type in which every row is NULL.
     */
    public static Column allNull(ColumnType type, int totalRows)
    {
        boolean[] nulls = new boolean[totalRows];
        Arrays.fill(nulls, true);
        if (type instanceof ColumnType.ArrayType array) {
            return new ArrayColumn(new int[totalRows + 1], empty(array.elementType()), nulls);
        }
        if (type instanceof ColumnType.MapType map) {
            return new MapColumn(new int[totalRows + 1], empty(map.keyType()), empty(map.valueType()), nulls);
        }
        return switch ((ScalarType) type) {
            case DOUBLE -> new DoubleColumn(new double[totalRows], nulls);
            case FLOAT -> new FloatColumn(new float[totalRows], nulls);
            case BIGINT -> new LongColumn(new long[totalRows], nulls);
            case INTEGER -> new IntColumn(new int[totalRows], nulls);
            case BOOLEAN -> new BooleanColumn(new boolean[totalRows], nulls);
            case VARCHAR -> new StringColumn(new String[totalRows]);
        };
    }

    private static Column empty(ScalarType type)
    {
        return allNull(type, 0);
    }
}
