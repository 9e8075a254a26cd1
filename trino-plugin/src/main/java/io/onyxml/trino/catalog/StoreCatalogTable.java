package io.onyxml.trino.catalog;

import io.onyxml.store.catalog.CatalogColumn;
import io.onyxml.store.catalog.StoreTable;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.Page;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * A table of the model catalog that every engine shows the same ({@code models}, {@code model_versions},
 * {@code orphan_files}): its columns and rows come from the core's {@link StoreTable}, typed here for Trino.
 */
public class StoreCatalogTable
        implements CatalogTable
{
    private final StoreTable table;
    private final OnyxModels models;
    private final ConnectorTableMetadata metadata;

    public StoreCatalogTable(StoreTable table, OnyxModels models, TypeManager typeManager)
    {
        this.table = requireNonNull(table, "table is null");
        this.models = requireNonNull(models, "models is null");
        this.metadata = new ConnectorTableMetadata(
                new SchemaTableName(OnyxMetadata.SCHEMA, table.tableName()),
                table.columns().stream()
                        .map(column -> new ColumnMetadata(column.name(), type(column, typeManager)))
                        .collect(toImmutableList()));
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
        for (Object[] row : translated(() -> table.rows(models.store(), names, models.access(session), Instant.now()))) {
            rows.addRow(row);
        }
        return rows.page();
    }

    private static Type type(CatalogColumn column, TypeManager typeManager)
    {
        return switch (column.type()) {
            case TEXT -> VARCHAR;
            case BIGINT -> BIGINT;
            case BOOLEAN -> BOOLEAN;
            case TIMESTAMP -> TIMESTAMP_TZ_MILLIS;
            case TEXT_ARRAY -> new ArrayType(VARCHAR);
            case TEXT_TO_BIGINT_MAP -> new MapType(VARCHAR, BIGINT, typeManager.getTypeOperators());
        };
    }
}
