package io.onyxml.trino.catalog;

import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.store.ModelStore;
import io.onyxml.store.OrphanFile;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.Page;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.orphan_files}: the files of the store that no existing version needs and that are old enough to be
 * removed (see {@code remove_orphan_files}), with why; keys are relative to the store's root.
 */
public class OrphanFilesTable
        implements CatalogTable
{
    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(
            new SchemaTableName(OnyxMetadata.SCHEMA, "orphan_files"),
            ImmutableList.of(
                    new ColumnMetadata("model", VARCHAR),
                    new ColumnMetadata("key", VARCHAR),
                    new ColumnMetadata("size_bytes", BIGINT),
                    new ColumnMetadata("last_modified", TIMESTAMP_TZ_MILLIS),
                    new ColumnMetadata("reason", VARCHAR)));

    private final OnyxModels models;

    @Inject
    public OrphanFilesTable(OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
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
        for (OrphanFile file : translated(() -> models.store().orphanFiles(Instant.now().minus(ModelStore.MIN_ORPHAN_AGE)))) {
            rows.addRow(file.model(), file.key(), file.sizeBytes(), file.lastModified(), file.reason());
        }
        return rows.page();
    }
}
