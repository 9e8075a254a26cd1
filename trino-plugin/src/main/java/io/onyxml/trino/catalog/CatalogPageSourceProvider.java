package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.trino.spi.PageSourceProvider;
import io.trino.spi.Page;
import io.trino.spi.classloader.ThreadContextClassLoader;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.FixedPageSource;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a catalog table on the node its split names, keeping the columns the query asked for.
 */
public class CatalogPageSourceProvider
        extends PageSourceProvider
{
    private final CatalogTables tables;

    @Inject
    public CatalogPageSourceProvider(CatalogTables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    @Override
    protected ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transaction,
            ConnectorSession session,
            ConnectorSplit split,
            ConnectorTableHandle table,
            List<ColumnHandle> columns)
    {
        CatalogTableHandle handle = (CatalogTableHandle) table;
        try (ThreadContextClassLoader _ = new ThreadContextClassLoader(getClass().getClassLoader())) {
            Page rows = tables.table(handle).rows(session, handle.names());
            int[] channels = columns.stream().mapToInt(column -> ((CatalogColumnHandle) column).index()).toArray();
            return new FixedPageSource(ImmutableList.of(rows.getColumns(channels)));
        }
    }
}
