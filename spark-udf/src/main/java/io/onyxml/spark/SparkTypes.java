package io.onyxml.spark;

import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

import java.util.Optional;

/**
 * Which Spark types reach a model as which column types, and which Spark types results come back as: the Trino
 * plugin's mapping (decimals as double, byte and short as integer, strings as varchar, arrays of those).
 */
public final class SparkTypes
{
    private SparkTypes() {}

    static EngineColumn column(StructField field)
    {
        return new EngineColumn(field.name(), toColumnType(field.dataType()), field.dataType().simpleString());
    }

    public static Optional<ColumnType> toColumnType(DataType type)
    {
        if (type instanceof ArrayType array) {
            return scalar(array.elementType()).map(ColumnType::array);
        }
        return scalar(type).map(ColumnType.class::cast);
    }

    private static Optional<ScalarType> scalar(DataType type)
    {
        if (type instanceof DoubleType || type instanceof DecimalType) {
            return Optional.of(ScalarType.DOUBLE);
        }
        if (type instanceof FloatType) {
            return Optional.of(ScalarType.FLOAT);
        }
        if (type instanceof LongType) {
            return Optional.of(ScalarType.BIGINT);
        }
        if (type instanceof IntegerType || type instanceof ShortType || type instanceof ByteType) {
            return Optional.of(ScalarType.INTEGER);
        }
        if (type instanceof BooleanType) {
            return Optional.of(ScalarType.BOOLEAN);
        }
        if (type instanceof StringType) {
            return Optional.of(ScalarType.VARCHAR);
        }
        return Optional.empty();
    }

    public static DataType toSparkType(ColumnType type)
    {
        if (type instanceof ColumnType.ArrayType array) {
            return DataTypes.createArrayType(toSparkType(array.elementType()));
        }
        if (type instanceof ColumnType.MapType map) {
            return DataTypes.createMapType(toSparkType(map.keyType()), toSparkType(map.valueType()));
        }
        return switch ((ScalarType) type) {
            case DOUBLE -> DataTypes.DoubleType;
            case FLOAT -> DataTypes.FloatType;
            case BIGINT -> DataTypes.LongType;
            case INTEGER -> DataTypes.IntegerType;
            case BOOLEAN -> DataTypes.BooleanType;
            case VARCHAR -> DataTypes.StringType;
        };
    }
}
