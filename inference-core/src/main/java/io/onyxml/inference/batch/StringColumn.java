package io.onyxml.inference.batch;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column of strings ({@link ScalarType#VARCHAR}); a null element is a NULL.
 */
public record StringColumn(String[] values)
        implements Column
{
    public StringColumn
    {
        requireNonNull(values, "values is null");
    }

    public static StringColumn of(String... values)
    {
        return new StringColumn(values);
    }

    @Override
    public ColumnType type()
    {
        return ScalarType.VARCHAR;
    }

    @Override
    public int size()
    {
        return values.length;
    }

    @Override
    public boolean isNull(int row)
    {
        return values[row] == null;
    }

    @Override
    public Optional<boolean[]> nulls()
    {
        boolean[] nulls = null;
        for (int row = 0; row < values.length; row++) {
            if (values[row] == null) {
                if (nulls == null) {
                    nulls = new boolean[values.length];
                }
                nulls[row] = true;
            }
        }
        return Optional.ofNullable(nulls);
    }

    @Override
    public String value(int row)
    {
        return values[row];
    }
}
