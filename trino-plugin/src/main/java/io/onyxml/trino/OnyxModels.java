package io.onyxml.trino;

import com.google.common.cache.Cache;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.inject.Inject;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InferenceConfig;
import io.onyxml.inference.InferenceEngine;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.store.ModelConverter;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelReference;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.PinnedModel;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.access.ModelAccess;
import io.onyxml.store.access.ModelAccessRules;
import io.onyxml.store.access.ModelPrincipal;
import io.onyxml.store.access.ModelPrivilege;
import io.onyxml.training.TrainingSlots;
import io.onyxml.training.trees.XGBoostModelConverter;
import io.trino.cache.EvictableCacheBuilder;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.spi.security.SelectedRole;
import io.trino.spi.type.Type;
import jakarta.annotation.PreDestroy;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;

import static io.onyxml.store.access.ModelPrivilege.READ;
import static io.onyxml.trino.TrinoErrors.translated;
import static java.util.concurrent.TimeUnit.MINUTES;

/**
 * The model store, inference engine and training slots of one catalog. A model reference is resolved as of its query's start, so that
 * the coordinator and every worker, the scalar functions and the table function, find the same version for one query
 * however aliases move meanwhile; a change made on this node is seen by every query that starts after it. Manifests
 * of exact versions, which never change, are cached.
 */
public final class OnyxModels
{
    // XGBoost model files (JSON, UBJSON) become ONNX at registration
    private static final ModelConverter CONVERTER = new XGBoostModelConverter();

    private final ModelStore store;
    private final InferenceEngine engine;
    private final Cache<ModelReference, ModelManifest> versions;
    private final int batchRows;
    private final ModelAccessRules accessRules;
    private final TrainingSlots trainingSlots;

    @Inject
    public OnyxModels(OnyxConfig config, OnyxS3Config s3Config, OnyxRegistrationConfig registrationConfig, OnyxSecurityConfig securityConfig, OnyxTrainingConfig trainingConfig)
    {
        this.accessRules = translated(securityConfig::rules);
        ModelStoreConfig storeConfig = new ModelStoreConfig(
                config.getModelStore(),
                s3Config.toS3Options(),
                config.getModelCacheDirectory().map(Path::of),
                config.getModelCacheSize().toBytes(),
                registrationConfig.toPolicy(),
                config.getChangeDelay().toJavaTime());
        this.store = translated(() -> ModelStore.open(storeConfig));
        this.engine = new InferenceEngine(store, new InferenceConfig(config.getDeviceSpec(), config.getSessionCacheSize().toBytes(), config.getIntraOpThreads(), config.getEvaluatorPolicy(), config.getMaxConcurrentLoads(), config.getMaxCallTime().toJavaTime()));
        this.batchRows = config.getBatchSize();
        this.trainingSlots = new TrainingSlots(
                trainingConfig.getMaxConcurrentPerNode(),
                trainingConfig.getMaxConcurrentPerCluster() == null ? OptionalInt.empty() : OptionalInt.of(trainingConfig.getMaxConcurrentPerCluster()),
                store,
                trainingConfig.getMaxSlotWait().toJavaTime(),
                new TrainingSlots.Settings(OnyxTrainingConfig.MAX_CONCURRENT_PER_NODE, OnyxTrainingConfig.MAX_CONCURRENT_PER_CLUSTER, OnyxTrainingConfig.MAX_SLOT_WAIT));
        this.versions = EvictableCacheBuilder.newBuilder()
                .expireAfterWrite(10, MINUTES)
                .maximumSize(10_000)
                .build();
    }

    public ModelStore store()
    {
        return store;
    }

    /**
     * Rows per model call in the table function, or 0 for the device's default.
     */
    public int batchRows()
    {
        return batchRows;
    }

    public InferenceEngine engine()
    {
        return engine;
    }

    /**
     * How many models train at once on this node and, where limited, in the cluster.
     */
    public TrainingSlots trainingSlots()
    {
        return trainingSlots;
    }

    /**
     * What a reference ({@code churn}, {@code churn/3}, {@code churn@production}) named when the query started, if
     * the query's user may read the model.
     */
    public ModelManifest resolve(String reference, ConnectorSession session)
    {
        ModelReference parsed = translated(() -> ModelReference.parse(reference));
        check(session, parsed.name(), READ);
        return translated(() -> store.resolve(parsed, session.getStart()));
    }

    /**
     * What the query's user may do with models under the catalog's rules.
     */
    public ModelAccess access(ConnectorSession session)
    {
        ConnectorIdentity identity = session.getIdentity();
        ImmutableSet.Builder<String> roles = ImmutableSet.<String>builder().addAll(identity.getEnabledSystemRoles());
        identity.getConnectorRole().flatMap(SelectedRole::getRole).ifPresent(roles::add);
        return new ModelAccess(accessRules, new ModelPrincipal(identity.getUser(), identity.getGroups(), roles.build()));
    }

    /**
     * Fails with Trino's access-denied error unless the query's user holds the privilege on the model.
     */
    public void check(ConnectorSession session, String model, ModelPrivilege privilege)
    {
        translated(() -> access(session).check(model, privilege));
    }

    /**
     * The manifest of an exact version, as resolved on the coordinator and sent to the workers.
     */
    public ModelManifest manifest(String name, int version)
    {
        return Caches.get(versions, ModelReference.version(name, version), () -> translated(() -> store.manifest(name, version)));
    }

    /**
     * The manifest of the version the coordinator pinned, checked against its checksum (see {@link PinnedModel}).
     */
    public ModelManifest pinned(PinnedModel model)
    {
        return translated(() -> model.verify(manifest(model.name(), model.version())));
    }

    /**
     * The plan of a pinned version where the query runs, binding the columns the coordinator chose (named and typed
     * as they were there) as it bound them.
     */
    public PredictionPlan plan(PinnedModel model, List<String> columnNames, List<Type> columnTypes, BindingMode mode)
    {
        ModelManifest manifest = pinned(model);
        ImmutableList.Builder<InputColumn> columns = ImmutableList.builder();
        for (int i = 0; i < columnTypes.size(); i++) {
            columns.add(new InputColumn(columnNames.get(i), TypeMapping.toColumnType(columnTypes.get(i)).orElseThrow()));
        }
        return translated(() -> PredictionPlan.create(manifest, columns.build(), mode));
    }

    /**
     * Registers a version after the checks of the inference engine: what it cannot serve is refused.
     */
    public ModelManifest register(String name, ModelSource source, RegisterOptions options)
    {
        ModelManifest manifest = translated(() -> store.register(name, source, options, engine.validator(), CONVERTER));
        invalidate();
        return manifest;
    }

    /**
     * After versions were deleted on this node: forgets them and unloads their sessions at once. Other nodes unload
     * them when their loaded-model list is read or the session cache needs the room.
     */
    public void deleted(Collection<ModelManifest> deletedVersions)
    {
        invalidate();
        deletedVersions.forEach(version -> engine.unload(version.sha256()));
    }

    /**
     * Forgets cached manifests, after this node changed the catalog.
     */
    public void invalidate()
    {
        versions.invalidateAll();
    }

    @PreDestroy
    public void close()
    {
        trainingSlots.close();
        engine.close();
        store.close();
    }
}
