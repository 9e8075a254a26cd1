package io.onyxml.trino;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.inject.Inject;
import io.airlift.slice.Slice;
import io.onyxml.trino.catalog.CatalogColumnHandle;
import io.onyxml.trino.catalog.CatalogTableHandle;
import io.onyxml.trino.catalog.CatalogTables;
import io.onyxml.trino.functions.PredictFunctions;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.ConstraintApplicationResult;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.function.BoundSignature;
import io.trino.spi.function.FunctionDependencyDeclaration;
import io.trino.spi.function.FunctionId;
import io.trino.spi.function.FunctionMetadata;
import io.trino.spi.function.SchemaFunctionName;
import io.trino.spi.predicate.Domain;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.onyxml.trino.spi.FunctionSignatures.functionName;
import static io.onyxml.trino.spi.FunctionSignatures.schemaName;
import static io.trino.spi.StandardErrorCode.NOT_SUPPORTED;
import static io.trino.spi.function.FunctionDependencyDeclaration.NO_DEPENDENCIES;
import static java.util.Objects.requireNonNull;

/**
 * The connector has one schema, {@value #SCHEMA}, holding its functions, procedures and read-only catalog tables.
 * An unknown table is {@code TABLE_NOT_FOUND}, an unknown schema {@code SCHEMA_NOT_FOUND}, and creating or changing
 * tables, rows, schemas or views is {@code NOT_SUPPORTED} (the {@link ConnectorMetadata} defaults), as in Trino's
 * own read-only connectors. A filter on a table's {@code name} column is pushed down, so that only those models are
 * read from the store.
 */
public class OnyxMetadata
        implements ConnectorMetadata
{
    public static final String SCHEMA = "system";
    private static final String NAME_COLUMN = "name";

    private final CatalogTables tables;

    @Inject
    public OnyxMetadata(CatalogTables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return ImmutableList.of(SCHEMA);
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        if (schemaName.isPresent() && !schemaName.get().equals(SCHEMA)) {
            return ImmutableList.of();
        }
        return tables.all().stream().map(table -> table.metadata().getTable()).collect(toImmutableList());
    }

    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName tableName, Optional<ConnectorTableVersion> startVersion, Optional<ConnectorTableVersion> endVersion)
    {
        if (startVersion.isPresent() || endVersion.isPresent()) {
            throw new TrinoException(NOT_SUPPORTED, "The catalog tables of Onyx have no versions to read; query them without FOR VERSION or FOR TIMESTAMP");
        }
        return tables.table(tableName)
                .map(table -> new CatalogTableHandle(tableName.getTableName(), Optional.empty()))
                .orElse(null);
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(ConnectorSession session, ConnectorTableHandle table)
    {
        return tables.table((CatalogTableHandle) table).metadata();
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(ConnectorSession session, ConnectorTableHandle table)
    {
        List<ColumnMetadata> columns = tables.table((CatalogTableHandle) table).metadata().getColumns();
        ImmutableMap.Builder<String, ColumnHandle> handles = ImmutableMap.builder();
        for (int index = 0; index < columns.size(); index++) {
            handles.put(columns.get(index).getName(), new CatalogColumnHandle(columns.get(index).getName(), index));
        }
        return handles.buildOrThrow();
    }

    @Override
    public ColumnMetadata getColumnMetadata(ConnectorSession session, ConnectorTableHandle table, ColumnHandle column)
    {
        return tables.table((CatalogTableHandle) table).metadata().getColumns().get(((CatalogColumnHandle) column).index());
    }

    @Override
    public Optional<ConstraintApplicationResult<ConnectorTableHandle>> applyFilter(ConnectorSession session, ConnectorTableHandle table, Constraint constraint)
    {
        CatalogTableHandle handle = (CatalogTableHandle) table;
        Optional<Set<String>> names = names(constraint);
        if (names.isEmpty() || names.equals(handle.names())) {
            return Optional.empty();
        }
        // Trino still applies the whole filter to the rows
        return Optional.of(new ConstraintApplicationResult<>(new CatalogTableHandle(handle.table(), names), constraint.getSummary(), constraint.getExpression(), false));
    }

    /**
     * The names a filter limits the {@code name} column to: {@code name = 'churn'}, {@code name IN (...)}.
     */
    private static Optional<Set<String>> names(Constraint constraint)
    {
        if (constraint.getSummary().isNone()) {
            return Optional.of(ImmutableSet.of());
        }
        for (Map.Entry<ColumnHandle, Domain> entry : constraint.getSummary().getDomains().orElseThrow().entrySet()) {
            Domain domain = entry.getValue();
            if (((CatalogColumnHandle) entry.getKey()).name().equals(NAME_COLUMN) && !domain.isNullAllowed() && domain.getValues().isDiscreteSet()) {
                return Optional.of(domain.getValues().getDiscreteSet().stream()
                        .map(value -> ((Slice) value).toStringUtf8())
                        .collect(toImmutableSet()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Collection<FunctionMetadata> listFunctions(ConnectorSession session, String schemaName)
    {
        return schemaName.equals(SCHEMA) ? PredictFunctions.functions() : List.of();
    }

    @Override
    public Collection<FunctionMetadata> getFunctions(ConnectorSession session, SchemaFunctionName name)
    {
        if (!schemaName(name).equals(SCHEMA)) {
            return List.of();
        }
        return PredictFunctions.functions().stream()
                .filter(function -> function.getCanonicalName().equals(functionName(name)))
                .toList();
    }

    @Override
    public FunctionMetadata getFunctionMetadata(ConnectorSession session, FunctionId functionId)
    {
        return PredictFunctions.functions().stream()
                .filter(function -> function.getFunctionId().equals(functionId))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown function: " + functionId));
    }

    @Override
    public FunctionDependencyDeclaration getFunctionDependencies(ConnectorSession session, FunctionId functionId, BoundSignature boundSignature)
    {
        return NO_DEPENDENCIES;
    }
}
