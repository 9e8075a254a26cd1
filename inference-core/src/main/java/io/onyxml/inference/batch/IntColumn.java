package io.onyxml.inference.batch;

import static java.util.Objects.requireNonNull;

/**
 * A column of int values ({@link ScalarType#INTEGER}).
 */
public record IntColumn(int[] values, boolean[] nullMask)
        implements MaskedColumn
{
    public IntColumn
    {
        requireNonNull(values, "values is null");
        if (nullMask != null) {
            Column.checkSize("null mask", values.length, nullMask.length);
        }
    }

    public static IntColumn of(int... values)
    {
        return new IntColumn(values, null);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.INTEGER;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public Integer value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
