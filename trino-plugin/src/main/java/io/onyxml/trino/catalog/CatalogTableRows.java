package io.onyxml.trino.catalog;

import io.trino.spi.Page;
import io.trino.spi.PageBuilder;
import io.trino.spi.block.ArrayBlockBuilder;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.block.MapBlockBuilder;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.DateTimeEncoding.packDateTimeWithZone;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;

/**
 * Rows of a catalog table built from plain Java values: {@code String}, {@code Long}, {@code Double},
 * {@code Boolean}, {@code Instant} (timestamp with time zone), {@code List} (array) and {@code Map} (map), or null.
 */
final class CatalogTableRows
{
    private final List<Type> types;
    private final PageBuilder page;

    CatalogTableRows(List<ColumnMetadata> columns)
    {
        this.types = columns.stream().map(ColumnMetadata::getType).collect(toImmutableList());
        this.page = new PageBuilder(types);
    }

    CatalogTableRows addRow(Object... values)
    {
        checkArgument(values.length == types.size(), "%s values for %s columns", values.length, types.size());
        page.declarePosition();
        for (int column = 0; column < values.length; column++) {
            write(types.get(column), page.getBlockBuilder(column), values[column]);
        }
        return this;
    }

    Page page()
    {
        return page.build();
    }

    private static void write(Type type, BlockBuilder builder, Object value)
    {
        if (value == null) {
            builder.appendNull();
        }
        else if (type instanceof ArrayType arrayType) {
            ((ArrayBlockBuilder) builder).buildEntry(elements -> ((List<?>) value).forEach(element -> write(arrayType.getElementType(), elements, element)));
        }
        else if (type instanceof MapType mapType) {
            ((MapBlockBuilder) builder).buildEntry((keys, values) -> ((Map<?, ?>) value).forEach((key, entry) -> {
                write(mapType.getKeyType(), keys, key);
                write(mapType.getValueType(), values, entry);
            }));
        }
        else if (type instanceof TimestampWithTimeZoneType) {
            type.writeLong(builder, packDateTimeWithZone(((Instant) value).toEpochMilli(), UTC_KEY));
        }
        else if (value instanceof String text) {
            type.writeSlice(builder, utf8Slice(text));
        }
        else if (value instanceof Boolean bool) {
            type.writeBoolean(builder, bool);
        }
        else if (value instanceof Double number) {
            type.writeDouble(builder, number);
        }
        else {
            type.writeLong(builder, ((Number) value).longValue());
        }
    }
}
