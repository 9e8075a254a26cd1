package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.trino.spi.SplitManager;
import io.trino.spi.Node;
import io.trino.spi.NodeManager;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.FixedSplitSource;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One split per catalog table read, on any node, or one per node that runs tasks for tables of per-node state (with
 * {@code node-scheduler.include-coordinator=false} the coordinator runs none, and is not listed).
 */
public class CatalogSplitManager
        extends SplitManager
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
    protected ConnectorSplitSource getSplits(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorTableHandle table, Constraint constraint)
    {
        CatalogTable catalogTable = tables.table((CatalogTableHandle) table);
        if (!catalogTable.perNode()) {
            return new FixedSplitSource(new CatalogSplit(Optional.empty()));
        }
        ImmutableList.Builder<CatalogSplit> splits = ImmutableList.builder();
        for (Node node : nodeManager.getWorkerNodes()) {
            splits.add(new CatalogSplit(Optional.of(node.getHostAndPort())));
        }
        return new FixedSplitSource(splits.build());
    }
}
