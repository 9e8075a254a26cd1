package io.onyxml.inference.batch;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of boolean values ({@link ScalarType#BOOLEAN}).
 */
public record BooleanColumn(boolean[] values, boolean[] nullMask)
        implements Column
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
    public boolean isNull(int row)
    {
        return Column.isNull(nullMask, row);
    }

    @Override
    public Optional<boolean[]> nulls()
    {
        return Optional.ofNullable(nullMask);
    }

    @Override
    public Boolean value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
