package io.onyxml.inference.batch;

import java.util.Arrays;

/**
 * Spreads results computed for some rows of a batch back over all its rows, the other rows becoming NULL.
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
