package io.onyxml.spark.catalog;

import io.onyxml.store.catalog.CatalogColumn;
import io.onyxml.store.catalog.CatalogType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalog tables' columns as Spark types and their values as Spark's internal values: text as string, bigint as
 * long, timestamps as timestamp, arrays of text, maps of text to long.
 */
final class CatalogValues
{
    private CatalogValues() {}

    static StructType schema(List<CatalogColumn> columns)
    {
        List<StructField> fields = new ArrayList<>();
        for (CatalogColumn column : columns) {
            fields.add(DataTypes.createStructField(column.name(), type(column.type()), true));
        }
        return DataTypes.createStructType(fields);
    }

    static DataType type(CatalogType type)
    {
        return switch (type) {
            case TEXT -> DataTypes.StringType;
            case BIGINT -> DataTypes.LongType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case TEXT_ARRAY -> DataTypes.createArrayType(DataTypes.StringType);
            case TEXT_TO_BIGINT_MAP -> DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType);
        };
    }

    static InternalRow row(List<CatalogColumn> columns, Object[] values)
    {
        Object[] internal = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            internal[i] = value(columns.get(i).type(), values[i]);
        }
        return new GenericInternalRow(internal);
    }

    private static Object value(CatalogType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case TEXT -> UTF8String.fromString((String) value);
            case BIGINT -> ((Number) value).longValue();
            case BOOLEAN -> value;
            // Spark's timestamps are microseconds since the epoch
            case TIMESTAMP -> ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) value);
            case TEXT_ARRAY -> texts((List<?>) value);
            case TEXT_TO_BIGINT_MAP -> {
                Map<?, ?> map = (Map<?, ?>) value;
                List<Object> keys = new ArrayList<>(map.keySet());
                Object[] longs = new Object[keys.size()];
                for (int i = 0; i < longs.length; i++) {
                    longs[i] = ((Number) map.get(keys.get(i))).longValue();
                }
                yield new ArrayBasedMapData(texts(keys), new GenericArrayData(longs));
            }
        };
    }

    private static ArrayData texts(List<?> values)
    {
        Object[] texts = new Object[values.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = values.get(i) == null ? null : UTF8String.fromString(values.get(i).toString());
        }
        return new GenericArrayData(texts);
    }
}
