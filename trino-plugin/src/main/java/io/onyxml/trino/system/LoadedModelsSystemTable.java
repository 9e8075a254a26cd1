package io.onyxml.trino.system;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.inference.LoadedModelInfo;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.NodeManager;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.loaded_models}: the models loaded on each node, and the device (cpu, cuda:0) that runs each.
 */
public class LoadedModelsSystemTable
        implements SystemTable
{
    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            new SchemaTableName(OnyxMetadata.SCHEMA, "loaded_models"),
            ImmutableList.of(
                    new ColumnMetadata("node_id", VARCHAR),
                    new ColumnMetadata("name", VARCHAR),
                    new ColumnMetadata("version", BIGINT),
                    new ColumnMetadata("sha256", VARCHAR),
                    new ColumnMetadata("device", VARCHAR),
                    new ColumnMetadata("fallback_reason", VARCHAR),
                    new ColumnMetadata("estimated_bytes", BIGINT)));

    private final OnyxModels models;
    private final NodeManager nodeManager;

    @Inject
    public LoadedModelsSystemTable(OnyxModels models, NodeManager nodeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
    }

    @Override
    public Distribution getDistribution()
    {
        return Distribution.ALL_NODES;
    }

    @Override
    public ConnectorTableMetadata getTableMetadata()
    {
        return METADATA;
    }

    @Override
    public ConnectorPageSource pageSource(ConnectorTransactionHandle transaction, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        SystemTableRows rows = new SystemTableRows(METADATA.getColumns());
        String node = nodeManager.getCurrentNode().getNodeIdentifier();
        for (LoadedModelInfo model : models.engine().loadedModels()) {
            rows.addRow(node, model.name(), (long) model.version(), model.sha256(), model.device().name(), model.device().fallbackReason().orElse(null), model.estimatedBytes());
        }
        return rows.pageSource();
    }
}
