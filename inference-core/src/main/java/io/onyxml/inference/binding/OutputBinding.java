package io.onyxml.inference.binding;

import io.onyxml.inference.OutputColumn;
import io.onyxml.store.ValueSpec;

import static java.util.Objects.requireNonNull;

/**
 * How one model output becomes a column: a scalar column for a tensor with one value per row, an array column for a
 * tensor with several, a map column for a sequence of maps (ZipMap).
 */
public record OutputBinding(ValueSpec output, OutputColumn column)
{
    public OutputBinding
    {
        requireNonNull(output, "output is null");
        requireNonNull(column, "column is null");
    }
}
