package io.onyxml.inference.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A column of maps: row {@code i} holds the entries {@code offsets[i]} (inclusive) to {@code offsets[i + 1]}
 * (exclusive) of the key and value columns, in order.
 */
public record MapColumn(int[] offsets, Column keys, Column values, boolean[] nullMask)
        implements MaskedColumn
{
    public MapColumn
    {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(values, "values is null");
        checkArgument(offsets.length >= 1, "offsets needs one entry more than there are rows");
        checkArgument(keys.size() == values.size(), "keys and values differ in size");
        checkArgument(keys.type() instanceof ScalarType && values.type() instanceof ScalarType, "map keys and values must be scalars");
        checkArgument(offsets[offsets.length - 1] <= keys.size(), "offsets point past the entries");
        if (nullMask != null) {
            Column.checkSize("null mask", offsets.length - 1, nullMask.length);
        }
    }

    @Override
    public ColumnType type()
    {
        return ColumnType.map((ScalarType) keys.type(), (ScalarType) values.type());
    }

    @Override
    public int size()
    {
        return offsets.length - 1;
    }

    @Override
    public Map<Object, Object> value(int row)
    {
        if (isNull(row)) {
            return null;
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int index = offsets[row]; index < offsets[row + 1]; index++) {
            map.put(keys.value(index), values.value(index));
        }
        return Collections.unmodifiableMap(map);
    }
}
