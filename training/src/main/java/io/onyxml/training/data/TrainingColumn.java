package io.onyxml.training.data;

import io.onyxml.inference.batch.ScalarType;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * A column that training reads: a feature or the label, with the type the engine passes it as. Numbers and
 * booleans (as 0/1) are numeric features; VARCHAR columns are categorical.
 */
public record TrainingColumn(String name, ScalarType type)
        implements Serializable
{
    public TrainingColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    public boolean isText()
    {
        return type == ScalarType.VARCHAR;
    }

    public boolean isNumeric()
    {
        return type.isNumeric() || type == ScalarType.BOOLEAN;
    }
}
