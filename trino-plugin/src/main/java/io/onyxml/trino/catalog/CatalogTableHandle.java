package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableSet;
import io.trino.spi.connector.ConnectorTableHandle;

import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A catalog table, with the model names a pushed-down filter limits it to.
 */
public record CatalogTableHandle(String table, Optional<Set<String>> names)
        implements ConnectorTableHandle
{
    public CatalogTableHandle
    {
        requireNonNull(table, "table is null");
        names = requireNonNull(names, "names is null").map(ImmutableSet::copyOf);
    }
}
