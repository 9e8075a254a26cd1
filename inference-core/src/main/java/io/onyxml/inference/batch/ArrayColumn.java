package io.onyxml.inference.batch;

import com.google.common.collect.ImmutableList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A column of arrays: row {@code i} holds the elements {@code offsets[i]} (inclusive) to {@code offsets[i + 1]}
 * (exclusive) of a scalar element column.
 */
public record ArrayColumn(int[] offsets, Column elements, boolean[] nullMask)
        implements MaskedColumn
{
    public ArrayColumn
    {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(elements, "elements is null");
        checkArgument(offsets.length >= 1, "offsets needs one entry more than there are rows");
        checkArgument(elements.type() instanceof ScalarType, "array elements must be scalars");
        checkArgument(offsets[offsets.length - 1] <= elements.size(), "offsets point past the elements");
        if (nullMask != null) {
            Column.checkSize("null mask", offsets.length - 1, nullMask.length);
        }
    }

    /**
     * Rows of equal length {@code width}, laid out one after the other in {@code elements}.
     */
    public static ArrayColumn fixedWidth(Column elements, int width, boolean[] nullMask)
    {
        checkArgument(width > 0 && elements.size() % width == 0, "%s elements do not divide into rows of %s", elements.size(), width);
        int rows = elements.size() / width;
        int[] offsets = new int[rows + 1];
        for (int row = 0; row <= rows; row++) {
            offsets[row] = row * width;
        }
        return new ArrayColumn(offsets, elements, nullMask);
    }

    @Override
    public ColumnType type()
    {
        return ColumnType.array((ScalarType) elements.type());
    }

    public ScalarType elementType()
    {
        return (ScalarType) elements.type();
    }

    @Override
    public int size()
    {
        return offsets.length - 1;
    }

    public int length(int row)
    {
        return offsets[row + 1] - offsets[row];
    }

    @Override
    public List<Object> value(int row)
    {
        if (isNull(row)) {
            return null;
        }
        List<Object> values = new ArrayList<>(length(row));
        for (int index = offsets[row]; index < offsets[row + 1]; index++) {
            values.add(elements.value(index));
        }
        return values.contains(null) ? Collections.unmodifiableList(values) : ImmutableList.copyOf(values);
    }
}
