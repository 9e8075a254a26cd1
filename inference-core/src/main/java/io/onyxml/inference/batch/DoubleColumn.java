package io.onyxml.inference.batch;

import static java.util.Objects.requireNonNull;

/**
 * A column of double values ({@link ScalarType#DOUBLE}).
 */
public record DoubleColumn(double[] values, boolean[] nullMask)
        implements MaskedColumn
{
    public DoubleColumn
    {
        requireNonNull(values, "values is null");
        if (nullMask != null) {
            Column.checkSize("null mask", values.length, nullMask.length);
        }
    }

    public static DoubleColumn of(double... values)
    {
        return new DoubleColumn(values, null);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.DOUBLE;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public Double value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
