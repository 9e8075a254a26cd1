package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.onyxml.trino.OnyxMetadata;
import io.trino.spi.connector.SchemaTableName;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.util.function.Function.identity;

/**
 * The catalog tables of the connector, by name.
 */
public final class CatalogTables
{
    private final ImmutableMap<String, CatalogTable> tables;

    @Inject
    public CatalogTables(Set<CatalogTable> tables)
    {
        this.tables = tables.stream()
                .sorted((left, right) -> left.metadata().getTable().getTableName().compareTo(right.metadata().getTable().getTableName()))
                .collect(toImmutableMap(table -> table.metadata().getTable().getTableName(), identity()));
    }

    public Optional<CatalogTable> table(SchemaTableName name)
    {
        if (!name.getSchemaName().equals(OnyxMetadata.SCHEMA)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tables.get(name.getTableName()));
    }

    public CatalogTable table(CatalogTableHandle handle)
    {
        return tables.get(handle.table());
    }

    public Collection<CatalogTable> all()
    {
        return tables.values();
    }
}
