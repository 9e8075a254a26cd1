package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnType;

import static java.util.Objects.requireNonNull;

/**
 * A column a prediction produces: one per model output that Onyx can return, named after the output.
 */
public record OutputColumn(String name, ColumnType type)
{
    public OutputColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
