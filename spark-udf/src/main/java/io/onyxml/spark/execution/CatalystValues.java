package io.onyxml.spark.execution;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.StringColumn;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A value of a result column as Spark holds it inside its rows: numbers and booleans boxed, text as
 * {@link UTF8String}, arrays as {@code ArrayData}, maps as {@code MapData}.
 */
public final class CatalystValues
{
    private CatalystValues() {}

    public static Object value(Column column, int row)
    {
        if (column.isNull(row)) {
            return null;
        }
        if (column instanceof StringColumn strings) {
            return UTF8String.fromString(strings.value(row));
        }
        if (column instanceof ArrayColumn array) {
            return elements(array.elements(), array.offsets()[row], array.offsets()[row + 1]);
        }
        if (column instanceof MapColumn map) {
            int start = map.offsets()[row];
            int end = map.offsets()[row + 1];
            return new ArrayBasedMapData(elements(map.keys(), start, end), elements(map.values(), start, end));
        }
        return column.value(row);
    }

    private static GenericArrayData elements(Column elements, int start, int end)
    {
        Object[] values = new Object[end - start];
        for (int i = start; i < end; i++) {
            values[i - start] = value(elements, i);
        }
        return new GenericArrayData(values);
    }
}
