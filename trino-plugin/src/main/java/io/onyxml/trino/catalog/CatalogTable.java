package io.onyxml.trino.catalog;

import io.trino.spi.Page;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;

import java.util.Optional;
import java.util.Set;

/**
 * A read-only table of the catalog ({@code models}, {@code model_versions}, ...), served as a table of the connector
 * so that Trino treats it as it treats any connector's table: writes are {@code NOT_SUPPORTED}.
 */
public interface CatalogTable
{
    ConnectorTableMetadata metadata();

    /**
     * True for a table that shows the state of each node (one split per node), false for one read once, anywhere.
     */
    default boolean perNode()
    {
        return false;
    }

    /**
     * All rows, with every column of {@link #metadata()}; called with the plugin's class loader as context.
     *
     * @param names the models a filter on the name column limits the rows to, or empty for all; rows of other models
     * may be left out, but need not be (Trino filters again)
     */
    Page rows(ConnectorSession session, Optional<Set<String>> names);
}
