package io.onyxml.inference.batch;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of int values ({@link ScalarType#INTEGER}).
 */
public record IntColumn(int[] values, boolean[] nullMask)
        implements Column
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
    public Integer value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
