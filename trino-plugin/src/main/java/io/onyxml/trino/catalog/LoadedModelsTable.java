package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.inference.LoadedModelInfo;
import io.onyxml.store.OnyxException;
import io.onyxml.store.access.ModelAccess;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.NodeManager;
import io.trino.spi.Page;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.MODEL_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.MODEL_VERSION_NOT_FOUND;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static io.onyxml.trino.TrinoErrors.toTrinoException;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.loaded_models}: the models loaded on each node, the device (cpu, cuda:0) that runs each, and which
 * evaluator (compiled or onnxruntime) serves its rows one at a time (scalar functions) and in batches (the table
 * function), with the reason where a model is not compiled, when it was loaded, how often it was used (one hit per
 * batch, or per query for rows scored one at a time) and when last. A version deleted since it was loaded is unloaded instead
 * of listed.
 */
public class LoadedModelsTable
        implements CatalogTable
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
                    new ColumnMetadata("estimated_bytes", BIGINT),
                    new ColumnMetadata("row_evaluator", VARCHAR),
                    new ColumnMetadata("batch_evaluator", VARCHAR),
                    new ColumnMetadata("evaluator_note", VARCHAR),
                    new ColumnMetadata("loaded_at", TIMESTAMP_TZ_MILLIS),
                    new ColumnMetadata("loads", BIGINT),
                    new ColumnMetadata("hits", BIGINT),
                    new ColumnMetadata("last_used", TIMESTAMP_TZ_MILLIS)));

    private final OnyxModels models;
    private final NodeManager nodeManager;

    @Inject
    public LoadedModelsTable(OnyxModels models, NodeManager nodeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
    }

    @Override
    public boolean perNode()
    {
        return true;
    }

    @Override
    public ConnectorTableMetadata metadata()
    {
        return METADATA;
    }

    @Override
    public Page rows(ConnectorSession session, Optional<Set<String>> names)
    {
        CatalogTableRows rows = new CatalogTableRows(METADATA.getColumns());
        String node = nodeManager.getCurrentNode().getNodeIdentifier();
        Set<String> filesInUse = new HashSet<>();
        Set<String> filesOfDeletedVersions = new HashSet<>();
        ModelAccess access = models.access(session);
        for (LoadedModelInfo model : models.engine().loadedModels()) {
            if (!exists(model)) {
                filesOfDeletedVersions.add(model.sha256());
                continue;
            }
            filesInUse.add(model.sha256());
            if (!access.allows(model.name(), READ)) {
                continue;
            }
            rows.addRow(node, model.name(), (long) model.version(), model.sha256(), model.device().name(), model.device().fallbackReason().orElse(null), model.estimatedBytes(),
                    model.evaluators().rows().displayName(), model.evaluators().batches().displayName(), model.evaluators().note().orElse(null),
                    model.loadedAt(), model.loads(), model.hits(), model.lastUsed());
        }
        // versions deleted on another node: unload their files here too, unless a version that exists shares them
        filesOfDeletedVersions.removeAll(filesInUse);
        filesOfDeletedVersions.forEach(models.engine()::unload);
        return rows.page();
    }

    private boolean exists(LoadedModelInfo model)
    {
        try {
            models.store().manifest(model.name(), model.version());
            return true;
        }
        catch (OnyxException e) {
            if (e.errorCode() == MODEL_NOT_FOUND || e.errorCode() == MODEL_VERSION_NOT_FOUND) {
                return false;
            }
            throw toTrinoException(e);
        }
    }
}
