package io.onyxml.spark;

import io.onyxml.inference.EngineColumn;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.google.common.collect.ImmutableList.toImmutableList;

/**
 * Values between the core and Spark's rows.
 */
final class SparkValues
{
    private SparkValues() {}

    /**
     * A value as Spark's row encoder takes it: lists and maps as Scala collections.
     */
    static Object external(Object value)
    {
        if (value instanceof Map<?, ?> map) {
            return CollectionConverters.asScala(map);
        }
        if (value instanceof List<?> list) {
            return CollectionConverters.asScala(list).toSeq();
        }
        return value;
    }

    static List<EngineColumn> columns(StructType schema)
    {
        return Arrays.stream(schema.fields()).map(SparkTypes::column).collect(toImmutableList());
    }
}
