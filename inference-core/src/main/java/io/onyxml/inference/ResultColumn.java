package io.onyxml.inference;

import io.onyxml.inference.batch.ColumnType;

import static java.util.Objects.requireNonNull;

/**
 * A column engines return to SQL, computed from one model output.
 *
 * @param output the index of the model output among the plan's outputs
 */
public record ResultColumn(String name, ColumnType type, int output, ResultConversion conversion)
{
    public ResultColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(conversion, "conversion is null");
    }
}
