package io.onyxml.inference.batch;

import java.util.Optional;

/**
 * A column of a batch: values held in a primitive array, with an optional null mask ({@code true} marks a NULL).
 * Columns do not copy the arrays they are given; callers hand them over and do not change them afterwards.
 */
public sealed interface Column
        permits MaskedColumn, StringColumn
{
    ColumnType type();

    int size();

    boolean isNull(int row);

    /**
     * The null mask, empty when the column has no NULLs.
     */
    Optional<boolean[]> nulls();

    /**
     * The value at a row as a Java object ({@code Double}, {@code Float}, {@code Long}, {@code Integer},
     * {@code Boolean}, {@code String}, {@code List}, {@code Map}), or null.
     */
    Object value(int row);

    static void checkSize(String what, int expected, int actual)
    {
        if (expected != actual) {
            throw new IllegalArgumentException(what + " has " + actual + " entries, expected " + expected);
        }
    }
}
