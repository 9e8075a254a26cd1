package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A tensor of the graph as one row sees it: its element type, its shape without the batch axis ({@code []} for a
 * tensor {@code [N]}, {@code [K]} for {@code [N, K]}), and where its {@code size} values lie in the frame
 * ({@link Frame#texts} for strings, {@link Frame#numbers} otherwise), row-major.
 */
public record Value(String name, ElementType type, int[] rowShape, int offset, int size)
{
    public Value
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        rowShape = rowShape.clone();
        checkArgument(size == Arrays.stream(rowShape).reduce(1, Math::multiplyExact), "size %s does not match the shape %s", size, Arrays.toString(rowShape));
    }

    @Override
    public int[] rowShape()
    {
        return rowShape.clone();
    }

    public int rank()
    {
        return rowShape.length;
    }

    public boolean isText()
    {
        return type == ElementType.STRING;
    }

    /**
     * The same values seen with another shape of the same size (Reshape, Flatten, Squeeze, Unsqueeze, Identity).
     */
    public Value reshaped(String newName, int[] newShape)
    {
        return new Value(newName, type, newShape, offset, size);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Value value && name.equals(value.name) && type == value.type && Arrays.equals(rowShape, value.rowShape) && offset == value.offset && size == value.size;
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + offset;
    }

    @Override
    public String toString()
    {
        return name + " " + type.displayName() + Arrays.toString(rowShape) + "@" + offset;
    }
}
