package io.onyxml.inference.batch;

import static java.util.Objects.requireNonNull;

/**
 * A column of long values ({@link ScalarType#BIGINT}).
 */
public record LongColumn(long[] values, boolean[] nullMask)
        implements MaskedColumn
{
    public LongColumn
    {
        requireNonNull(values, "values is null");
        if (nullMask != null) {
            Column.checkSize("null mask", values.length, nullMask.length);
        }
    }

    public static LongColumn of(long... values)
    {
        return new LongColumn(values, null);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.BIGINT;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public Long value(int row)
    {
        return isNull(row) ? null : values[row];
    }
}
