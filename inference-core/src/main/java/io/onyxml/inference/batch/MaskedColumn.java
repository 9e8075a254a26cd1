package io.onyxml.inference.batch;

import java.util.Optional;

/**
 * A column whose NULLs are marked in a mask beside its values.
 */
public sealed interface MaskedColumn
        extends Column
        permits DoubleColumn, FloatColumn, LongColumn, IntColumn, BooleanColumn, ArrayColumn, MapColumn
{
    /**
     * The null mask ({@code true} marks a NULL), or null when no row is NULL.
     */
    boolean[] nullMask();

    @Override
    default boolean isNull(int row)
    {
        boolean[] nullMask = nullMask();
        return nullMask != null && nullMask[row];
    }

    @Override
    default Optional<boolean[]> nulls()
    {
        return Optional.ofNullable(nullMask());
    }
}
