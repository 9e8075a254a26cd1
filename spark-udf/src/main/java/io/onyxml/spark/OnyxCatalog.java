package io.onyxml.spark;

import io.onyxml.spark.catalog.StoreTableScan;
import io.onyxml.spark.procedures.OnyxProcedures;
import io.onyxml.store.catalog.StoreTable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchNamespaceException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.NamespaceChange;
import org.apache.spark.sql.connector.catalog.ProcedureCatalog;
import org.apache.spark.sql.connector.catalog.SupportsNamespaces;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.catalog.procedures.UnboundProcedure;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.util.Arrays;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The model catalog in Spark, as in Trino: {@code spark.sql.catalog.ml=io.onyxml.spark.OnyxCatalog} makes
 * {@code ml.system.models}, {@code ml.system.model_versions} and {@code ml.system.orphan_files} read-only tables with
 * Trino's columns, and {@code CALL ml.system.register_model(...)}, {@code set_alias}, {@code drop_alias},
 * {@code drop_model_version}, {@code drop_model}, {@code train_model} and {@code evaluate} its procedures. The store
 * is the session's {@code spark.onyx.model-store}.
 */
public class OnyxCatalog
        implements TableCatalog, SupportsNamespaces, ProcedureCatalog
{
    public static final String SCHEMA = "system";
    private static final String READ_ONLY = "The Onyx catalog %s is read-only: change models with CALL %s.system.register_model, set_alias, drop_alias, drop_model_version or drop_model";

    private String name;

    @Override
    public void initialize(String name, CaseInsensitiveStringMap options)
    {
        this.name = requireNonNull(name, "name is null");
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public String[][] listNamespaces()
    {
        return new String[][] {{SCHEMA}};
    }

    @Override
    public String[][] listNamespaces(String[] namespace)
            throws NoSuchNamespaceException
    {
        if (namespace.length == 0) {
            return listNamespaces();
        }
        checkNamespace(namespace);
        return new String[0][];
    }

    @Override
    public Map<String, String> loadNamespaceMetadata(String[] namespace)
            throws NoSuchNamespaceException
    {
        checkNamespace(namespace);
        return Map.of();
    }

    @Override
    public Identifier[] listTables(String[] namespace)
            throws NoSuchNamespaceException
    {
        checkNamespace(namespace);
        return Arrays.stream(StoreTable.values())
                .map(table -> Identifier.of(new String[] {SCHEMA}, table.tableName()))
                .toArray(Identifier[]::new);
    }

    @Override
    public Table loadTable(Identifier identifier)
            throws NoSuchTableException
    {
        if (!isSchema(identifier.namespace())) {
            throw new NoSuchTableException(identifier);
        }
        StoreTable table = StoreTable.fromName(identifier.name()).orElseThrow(() -> new NoSuchTableException(identifier));
        return new StoreTableScan(name, table, OnyxSparkConfig.from(SparkSession.active()));
    }

    @Override
    public UnboundProcedure loadProcedure(Identifier identifier)
    {
        return OnyxProcedures.load(name, identifier);
    }

    @Override
    public Identifier[] listProcedures(String[] namespace)
    {
        if (!isSchema(namespace)) {
            return new Identifier[0];
        }
        return OnyxProcedures.names().stream()
                .map(procedure -> Identifier.of(new String[] {SCHEMA}, procedure))
                .toArray(Identifier[]::new);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Table createTable(Identifier identifier, StructType schema, Transform[] partitions, Map<String, String> properties)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public Table alterTable(Identifier identifier, TableChange... changes)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public boolean dropTable(Identifier identifier)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public void renameTable(Identifier oldIdentifier, Identifier newIdentifier)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public void createNamespace(String[] namespace, Map<String, String> metadata)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public void alterNamespace(String[] namespace, NamespaceChange... changes)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    @Override
    public boolean dropNamespace(String[] namespace, boolean cascade)
    {
        throw new UnsupportedOperationException(String.format(READ_ONLY, name, name));
    }

    private static boolean isSchema(String[] namespace)
    {
        return namespace.length == 1 && namespace[0].equalsIgnoreCase(SCHEMA);
    }

    private static void checkNamespace(String[] namespace)
            throws NoSuchNamespaceException
    {
        if (!isSchema(namespace)) {
            throw new NoSuchNamespaceException(namespace);
        }
    }
}
