package io.onyxml.inference.batch;

import static java.util.Objects.requireNonNull;

/**
 * A column of float values ({@link ScalarType#FLOAT}).
 */
public record FloatColumn(float[] values, boolean[] nullMask)
        implements MaskedColumn
{
    public FloatColumn
    {
        requireNonNull(values, "values is null");
        if (nullMask != null) {
            Column.checkSize("null mask", values.length, nullMask.length);
        }
    }

    public static FloatColumn of(float... values)
    {
        return new FloatColumn(values, null);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.FLOAT;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public Float value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
