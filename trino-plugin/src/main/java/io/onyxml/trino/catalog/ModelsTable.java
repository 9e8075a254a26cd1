package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.store.ModelSummary;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.Page;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.TypeManager;

import java.util.Optional;
import java.util.Set;

import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.TypeSignature.mapType;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.models}: one row per model, with its newest version and its aliases. A filter on {@code name} limits
 * what is read from the store.
 */
public class ModelsTable
        implements CatalogTable
{
    private final OnyxModels models;
    private final ConnectorTableMetadata metadata;

    @Inject
    public ModelsTable(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.metadata = new ConnectorTableMetadata(
                new SchemaTableName(OnyxMetadata.SCHEMA, "models"),
                ImmutableList.of(
                        new ColumnMetadata("name", VARCHAR),
                        new ColumnMetadata("latest_version", BIGINT),
                        new ColumnMetadata("version_count", BIGINT),
                        new ColumnMetadata("aliases", typeManager.getType(mapType(VARCHAR.getTypeSignature(), BIGINT.getTypeSignature()))),
                        new ColumnMetadata("task", VARCHAR),
                        new ColumnMetadata("description", VARCHAR),
                        new ColumnMetadata("created", TIMESTAMP_TZ_MILLIS),
                        new ColumnMetadata("updated", TIMESTAMP_TZ_MILLIS)));
    }

    @Override
    public ConnectorTableMetadata metadata()
    {
        return metadata;
    }

    @Override
    public Page rows(ConnectorSession session, Optional<Set<String>> names)
    {
        CatalogTableRows rows = new CatalogTableRows(metadata.getColumns());
        for (ModelSummary model : translated(() -> models.store().listModels(names))) {
            rows.addRow(
                    model.name(),
                    (long) model.latestVersion(),
                    (long) model.versionCount(),
                    model.aliases(),
                    model.task().displayName(),
                    model.description().orElse(null),
                    model.createdAt(),
                    model.updatedAt());
        }
        return rows.page();
    }
}
