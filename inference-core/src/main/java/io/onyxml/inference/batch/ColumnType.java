package io.onyxml.inference.batch;

import java.io.Serializable;

import static java.util.Objects.requireNonNull;

/**
 * The type of a column: a {@link ScalarType}, an array of scalars, or a map from scalars to scalars.
 */
public sealed interface ColumnType
        extends Serializable
        permits ScalarType, ColumnType.ArrayType, ColumnType.MapType
{
    /**
     * A SQL-like name for messages, e.g. {@code double}, {@code array(float)}, {@code map(varchar, float)}.
     */
    String displayName();

    static ArrayType array(ScalarType elementType)
    {
        return new ArrayType(elementType);
    }

    static MapType map(ScalarType keyType, ScalarType valueType)
    {
        return new MapType(keyType, valueType);
    }

    record ArrayType(ScalarType elementType)
            implements ColumnType
    {
        public ArrayType
        {
            requireNonNull(elementType, "elementType is null");
        }

        @Override
        public String displayName()
        {
            return "array(" + elementType.displayName() + ")";
        }
    }

    record MapType(ScalarType keyType, ScalarType valueType)
            implements ColumnType
    {
        public MapType
        {
            requireNonNull(keyType, "keyType is null");
            requireNonNull(valueType, "valueType is null");
        }

        @Override
        public String displayName()
        {
            return "map(" + keyType.displayName() + ", " + valueType.displayName() + ")";
        }
    }
}
