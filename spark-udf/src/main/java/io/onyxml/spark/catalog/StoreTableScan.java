package io.onyxml.spark.catalog;

import io.onyxml.spark.ExecutorModels;
import io.onyxml.spark.OnyxSparkConfig;
import io.onyxml.spark.SparkModelAccess;
import io.onyxml.store.catalog.StoreTable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.LocalScan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A table of the model catalog ({@code models}, {@code model_versions}, {@code orphan_files}) as a read-only Spark
 * table: the core's {@link StoreTable}, read on the driver when the query is planned.
 */
public final class StoreTableScan
        implements SupportsRead
{
    private final String catalogName;
    private final StoreTable table;
    private final OnyxSparkConfig config;

    public StoreTableScan(String catalogName, StoreTable table, OnyxSparkConfig config)
    {
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.table = requireNonNull(table, "table is null");
        this.config = requireNonNull(config, "config is null");
    }

    @Override
    public String name()
    {
        return catalogName + "." + "system" + "." + table.tableName();
    }

    @Override
    public StructType schema()
    {
        return CatalogValues.schema(table.columns());
    }

    @Override
    public Set<TableCapability> capabilities()
    {
        return Set.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options)
    {
        return () -> new LocalScan()
        {
            @Override
            public StructType readSchema()
            {
                return schema();
            }

            @Override
            public InternalRow[] rows()
            {
                // only what the user may see, as in Trino
                return table.rows(ExecutorModels.get(config).store(), Optional.empty(), SparkModelAccess.of(SparkSession.active()), Instant.now()).stream()
                        .map(row -> CatalogValues.row(table.columns(), row))
                        .toArray(InternalRow[]::new);
            }
        };
    }
}
