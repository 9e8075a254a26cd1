package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.trino.spi.Node;
import io.trino.spi.NodeManager;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.DynamicFilter;
import io.trino.spi.connector.FixedSplitSource;

import static java.util.Objects.requireNonNull;

/**
 * One split per catalog table read: on the coordinator, or on every node for tables of per-node state.
 */
public class CatalogSplitManager
        implements ConnectorSplitManager
{
    private final CatalogTables tables;
    private final NodeManager nodeManager;

    @Inject
    public CatalogSplitManager(CatalogTables tables, NodeManager nodeManager)
    {
        this.tables = requireNonNull(tables, "tables is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
    }

    @Override
    public ConnectorSplitSource getSplits(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorTableHandle table, DynamicFilter dynamicFilter, Constraint constraint)
    {
        CatalogTable catalogTable = tables.table((CatalogTableHandle) table);
        if (!catalogTable.perNode()) {
            return new FixedSplitSource(new CatalogSplit(nodeManager.getCurrentNode().getHostAndPort()));
        }
        ImmutableList.Builder<CatalogSplit> splits = ImmutableList.builder();
        for (Node node : nodeManager.getAllNodes()) {
            splits.add(new CatalogSplit(node.getHostAndPort()));
        }
        return new FixedSplitSource(splits.build());
    }
}
