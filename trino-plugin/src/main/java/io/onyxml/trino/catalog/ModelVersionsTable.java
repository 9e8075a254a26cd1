package io.onyxml.trino.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.inject.Inject;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelVersions;
import io.onyxml.store.ValueSpec;
import io.onyxml.trino.OnyxMetadata;
import io.onyxml.trino.OnyxModels;
import io.trino.spi.Page;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.TypeManager;

import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.trino.TrinoErrors.translated;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.BooleanType.BOOLEAN;
import static io.trino.spi.type.TimestampWithTimeZoneType.TIMESTAMP_TZ_MILLIS;
import static io.trino.spi.type.TypeSignature.mapType;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code system.model_versions}: one row per existing model version, with what its manifest says, read in one pass
 * over the store; a filter on {@code name} limits what is read.
 */
public class ModelVersionsTable
        implements CatalogTable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ArrayType TEXTS = new ArrayType(VARCHAR);

    private final OnyxModels models;
    private final ConnectorTableMetadata metadata;

    @Inject
    public ModelVersionsTable(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.metadata = new ConnectorTableMetadata(
                new SchemaTableName(OnyxMetadata.SCHEMA, "model_versions"),
                ImmutableList.of(
                        new ColumnMetadata("name", VARCHAR),
                        new ColumnMetadata("version", BIGINT),
                        new ColumnMetadata("aliases", TEXTS),
                        new ColumnMetadata("sha256", VARCHAR),
                        new ColumnMetadata("size_bytes", BIGINT),
                        new ColumnMetadata("created_at", TIMESTAMP_TZ_MILLIS),
                        new ColumnMetadata("task", VARCHAR),
                        new ColumnMetadata("description", VARCHAR),
                        new ColumnMetadata("inputs", TEXTS),
                        new ColumnMetadata("outputs", TEXTS),
                        new ColumnMetadata("feature_names", TEXTS),
                        new ColumnMetadata("class_labels", TEXTS),
                        new ColumnMetadata("handles_missing_values", BOOLEAN),
                        new ColumnMetadata("metrics", VARCHAR),
                        new ColumnMetadata("training", VARCHAR),
                        new ColumnMetadata("onnx_ir_version", BIGINT),
                        new ColumnMetadata("onnx_opsets", typeManager.getType(mapType(VARCHAR.getTypeSignature(), BIGINT.getTypeSignature())))));
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
        for (ModelVersions model : translated(() -> models.store().listModelVersions(names))) {
            for (ModelManifest version : model.versions()) {
                rows.addRow(
                        version.name(),
                        (long) version.version(),
                        model.aliasesOf(version.version()),
                        version.sha256(),
                        version.sizeBytes(),
                        version.createdAt(),
                        version.task().displayName(),
                        version.description().orElse(null),
                        version.signature().inputs().stream().map(ValueSpec::toString).toList(),
                        version.signature().outputs().stream().map(ValueSpec::toString).toList(),
                        version.featureNames(),
                        version.classLabels(),
                        version.handlesMissingValues(),
                        json(version.metrics()),
                        json(version.training()),
                        version.onnx().irVersion(),
                        version.onnx().opsets());
            }
        }
        return rows.page();
    }

    private static String json(Map<String, ?> values)
    {
        try {
            return JSON.writeValueAsString(values);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
