package io.onyxml.store.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelSummary;
import io.onyxml.store.ModelVersions;
import io.onyxml.store.OrphanFile;
import io.onyxml.store.ValueSpec;
import io.onyxml.store.access.ModelAccess;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static io.onyxml.store.access.ModelPrivilege.MANAGE;
import static io.onyxml.store.access.ModelPrivilege.READ;
import static io.onyxml.store.catalog.CatalogType.BIGINT;
import static io.onyxml.store.catalog.CatalogType.BOOLEAN;
import static io.onyxml.store.catalog.CatalogType.TEXT;
import static io.onyxml.store.catalog.CatalogType.TEXT_ARRAY;
import static io.onyxml.store.catalog.CatalogType.TEXT_TO_BIGINT_MAP;
import static io.onyxml.store.catalog.CatalogType.TIMESTAMP;

/**
 * The tables of the model catalog that every engine shows the same, in its schema {@code system}: their columns and
 * their rows, read from the store.
 * <ul>
 * <li>{@code models}: one row per model, with its newest version and its aliases;</li>
 * <li>{@code model_versions}: one row per existing version, with what its manifest says;</li>
 * <li>{@code orphan_files}: the files no existing version needs and that are old enough to be removed.</li>
 * </ul>
 */
public enum StoreTable
{
    MODELS("models",
            column("name", TEXT),
            column("latest_version", BIGINT),
            column("version_count", BIGINT),
            column("aliases", TEXT_TO_BIGINT_MAP),
            column("task", TEXT),
            column("description", TEXT),
            column("created", TIMESTAMP),
            column("updated", TIMESTAMP)),
    MODEL_VERSIONS("model_versions",
            column("name", TEXT),
            column("version", BIGINT),
            column("aliases", TEXT_ARRAY),
            column("sha256", TEXT),
            column("size_bytes", BIGINT),
            column("created_at", TIMESTAMP),
            column("registered_by", TEXT),
            column("task", TEXT),
            column("description", TEXT),
            column("inputs", TEXT_ARRAY),
            column("outputs", TEXT_ARRAY),
            column("feature_names", TEXT_ARRAY),
            column("class_labels", TEXT_ARRAY),
            column("handles_missing_values", BOOLEAN),
            column("metrics", TEXT),
            column("training", TEXT),
            column("onnx_ir_version", BIGINT),
            column("onnx_opsets", TEXT_TO_BIGINT_MAP)),
    ORPHAN_FILES("orphan_files",
            column("model", TEXT),
            column("key", TEXT),
            column("size_bytes", BIGINT),
            column("last_modified", TIMESTAMP),
            column("reason", TEXT));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String tableName;
    private final List<CatalogColumn> columns;

    StoreTable(String tableName, CatalogColumn... columns)
    {
        this.tableName = tableName;
        this.columns = ImmutableList.copyOf(Arrays.asList(columns));
    }

    public String tableName()
    {
        return tableName;
    }

    public List<CatalogColumn> columns()
    {
        return columns;
    }

    public static Optional<StoreTable> fromName(String name)
    {
        return Arrays.stream(values()).filter(table -> table.tableName.equals(name)).findFirst();
    }

    /**
     * The rows, one array of values per row in the order of {@link #columns()}, typed as {@link CatalogType} says.
     *
     * @param names the models a filter on the model name limits the rows to, or empty for all; rows of other models
     * may be left out, but need not be
     * @param access who reads: models and versions show only models they may read, orphan files only those of models
     * they may manage
     */
    public List<Object[]> rows(ModelStore store, Optional<Set<String>> names, ModelAccess access, Instant now)
    {
        ImmutableList.Builder<Object[]> rows = ImmutableList.builder();
        switch (this) {
            case MODELS -> {
                for (ModelSummary model : store.listModels(names)) {
                    if (!access.allows(model.name(), READ)) {
                        continue;
                    }
                    rows.add(new Object[] {
                            model.name(),
                            (long) model.latestVersion(),
                            (long) model.versionCount(),
                            bigints(model.aliases()),
                            model.task().displayName(),
                            model.description().orElse(null),
                            model.createdAt(),
                            model.updatedAt()});
                }
            }
            case MODEL_VERSIONS -> {
                for (ModelVersions model : store.listModelVersions(names)) {
                    if (!access.allows(model.name(), READ)) {
                        continue;
                    }
                    for (ModelManifest version : model.versions()) {
                        rows.add(new Object[] {
                                version.name(),
                                (long) version.version(),
                                model.aliasesOf(version.version()),
                                version.sha256(),
                                version.sizeBytes(),
                                version.createdAt(),
                                version.registeredBy().orElse(null),
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
                                bigints(version.onnx().opsets())});
                    }
                }
            }
            case ORPHAN_FILES -> {
                for (OrphanFile file : store.orphanFiles(now.minus(ModelStore.MIN_ORPHAN_AGE), name -> access.allows(name, MANAGE))) {
                    rows.add(new Object[] {file.model(), file.key(), file.sizeBytes(), file.lastModified(), file.reason()});
                }
            }
        }
        return rows.build();
    }

    private static CatalogColumn column(String name, CatalogType type)
    {
        return new CatalogColumn(name, type);
    }

    private static Map<String, Long> bigints(Map<String, ? extends Number> values)
    {
        return values.entrySet().stream().collect(toImmutableMap(Map.Entry::getKey, entry -> entry.getValue().longValue()));
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
