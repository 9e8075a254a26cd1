package io.onyxml.store.catalog;

import static java.util.Objects.requireNonNull;

public record CatalogColumn(String name, CatalogType type)
{
    public CatalogColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
