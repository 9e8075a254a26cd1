package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnType;

import static java.util.Objects.requireNonNull;

/**
 * A column an engine offers to a model: its name (used when binding by name) and its type.
 */
public record InputColumn(String name, ColumnType type)
{
    public InputColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    @Override
    public String toString()
    {
        return name + " " + type.displayName();
    }
}
