package io.onyxml.trino.catalog;

import io.trino.spi.connector.ColumnHandle;

import static java.util.Objects.requireNonNull;

/**
 * A column of a catalog table, by its position in the table's metadata.
 */
public record CatalogColumnHandle(String name, int index)
        implements ColumnHandle
{
    public CatalogColumnHandle
    {
        requireNonNull(name, "name is null");
    }
}
