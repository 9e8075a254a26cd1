package io.onyxml.trino;

import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.BooleanType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.DoubleType;
import io.trino.spi.type.IntegerType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RealType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.SmallintType;
import io.trino.spi.type.TinyintType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;
import io.trino.spi.type.VarcharType;

import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;

/**
 * Which Trino types reach a model as which column types, and which Trino types results come back as. Decimals are
 * passed as double (as {@code CAST(x AS double)} would), tinyint and smallint as integer, varchar of any length as
 * varchar; arrays of those element types as arrays.
 */
public final class TypeMapping
{
    private TypeMapping() {}

    /**
     * The fields of a row type (an input table's columns, a struct's fields) as the core sees them.
     */
    public static List<EngineColumn> engineColumns(List<RowType.Field> fields)
    {
        return fields.stream()
                .map(field -> new EngineColumn(field.getName().orElse(""), toColumnType(field.getType()), field.getType().getDisplayName()))
                .collect(toImmutableList());
    }

    public static Optional<ColumnType> toColumnType(Type type)
    {
        if (type instanceof ArrayType array) {
            return scalar(array.getElementType()).map(ColumnType::array);
        }
        return scalar(type).map(ColumnType.class::cast);
    }

    private static Optional<ScalarType> scalar(Type type)
    {
        if (type instanceof DoubleType || type instanceof DecimalType) {
            return Optional.of(ScalarType.DOUBLE);
        }
        if (type instanceof RealType) {
            return Optional.of(ScalarType.FLOAT);
        }
        if (type instanceof BigintType) {
            return Optional.of(ScalarType.BIGINT);
        }
        if (type instanceof IntegerType || type instanceof SmallintType || type instanceof TinyintType) {
            return Optional.of(ScalarType.INTEGER);
        }
        if (type instanceof BooleanType) {
            return Optional.of(ScalarType.BOOLEAN);
        }
        if (type instanceof VarcharType) {
            return Optional.of(ScalarType.VARCHAR);
        }
        return Optional.empty();
    }

    public static Type toTrinoType(ColumnType type, TypeManager typeManager)
    {
        if (type instanceof ColumnType.ArrayType array) {
            return new ArrayType(toTrinoType(array.elementType()));
        }
        if (type instanceof ColumnType.MapType map) {
            return new MapType(toTrinoType(map.keyType()), toTrinoType(map.valueType()), typeManager.getTypeOperators());
        }
        return toTrinoType((ScalarType) type);
    }

    private static Type toTrinoType(ScalarType type)
    {
        return switch (type) {
            case DOUBLE -> DoubleType.DOUBLE;
            case FLOAT -> RealType.REAL;
            case BIGINT -> BigintType.BIGINT;
            case INTEGER -> IntegerType.INTEGER;
            case BOOLEAN -> BooleanType.BOOLEAN;
            case VARCHAR -> VarcharType.VARCHAR;
        };
    }
}
