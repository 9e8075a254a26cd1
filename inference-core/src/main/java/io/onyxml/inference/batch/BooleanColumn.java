package io.onyxml.inference.batch;

import static java.util.Objects.requireNonNull;

/**
 * A column of boolean values ({@link ScalarType#BOOLEAN}).
 */
public record BooleanColumn(boolean[] values, boolean[] nullMask)
        implements MaskedColumn
{
    public BooleanColumn
    {
        requireNonNull(values, "values is null");
        if (nullMask != null) {
            Column.checkSize("null mask", values.length, nullMask.length);
        }
    }

    public static BooleanColumn of(boolean... values)
    {
        return new BooleanColumn(values, null);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.BOOLEAN;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public Boolean value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
