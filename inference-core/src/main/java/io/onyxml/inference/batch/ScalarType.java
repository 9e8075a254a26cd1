package io.onyxml.inference.batch;

import java.util.Locale;

/**
 * The scalar column types the engines exchange with the inference core.
 */
public enum ScalarType
        implements ColumnType
{
    DOUBLE,
    FLOAT,
    BIGINT,
    INTEGER,
    BOOLEAN,
    VARCHAR;

    public boolean isNumeric()
    {
        return this == DOUBLE || this == FLOAT || this == BIGINT || this == INTEGER;
    }

    @Override
    public String displayName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
