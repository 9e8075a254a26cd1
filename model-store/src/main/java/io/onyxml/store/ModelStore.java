package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.cache.ModelFileCache;
import io.onyxml.store.onnx.OnnxModelDescription;
import io.onyxml.store.onnx.OnnxModelInspector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.ModelNames.checkModelName;
import static io.onyxml.store.ModelNames.checkUserAlias;
import static io.onyxml.store.OnyxErrorCode.CHECKSUM_MISMATCH;
import static io.onyxml.store.OnyxErrorCode.CONCURRENT_MODIFICATION;
import static io.onyxml.store.OnyxErrorCode.INTERNAL_ERROR;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.MANIFEST_CORRUPT;
import static io.onyxml.store.OnyxErrorCode.MODEL_ALIAS_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.MODEL_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.MODEL_VERSION_IN_USE;
import static io.onyxml.store.OnyxErrorCode.MODEL_VERSION_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.STORE_ERROR;
import static java.lang.String.format;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A catalog of versioned ONNX models kept in a {@link BlobStore}, with no service to run: every process that opens
 * the same location sees the same models. Versions are immutable and numbered 1, 2, 3...; {@code latest} always
 * points at the newest version; other aliases are set by users. Safe for concurrent use by many threads and
 * processes (see the module README for why).
 */
public final class ModelStore
        implements AutoCloseable
{
    private static final Duration DEFAULT_REGISTER_PATIENCE = Duration.ofSeconds(60);
    /**
     * The youngest an orphan file may be to be removed; a registration in progress keeps its file far shorter.
     */
    public static final Duration MIN_ORPHAN_AGE = Duration.ofHours(1);

    private final BlobStore blobs;
    private final ModelStoreConfig config;
    private final Optional<ModelFileCache> cache;
    private final Clock clock;
    private final Duration registerPatience;

    public ModelStore(BlobStore blobs, ModelStoreConfig config, Optional<ModelFileCache> cache, Clock clock)
    {
        this(blobs, config, cache, clock, DEFAULT_REGISTER_PATIENCE);
    }

    ModelStore(BlobStore blobs, ModelStoreConfig config, Optional<ModelFileCache> cache, Clock clock, Duration registerPatience)
    {
        this.blobs = requireNonNull(blobs, "blobs is null");
        this.config = requireNonNull(config, "config is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.registerPatience = requireNonNull(registerPatience, "registerPatience is null");
    }

    public static ModelStore open(ModelStoreConfig config)
    {
        BlobStore blobs = BlobStores.open(config.location(), config.s3());
        Optional<ModelFileCache> cache = blobs.localFile("").isPresent()
                ? Optional.empty()
                : Optional.of(new ModelFileCache(config.effectiveCacheDirectory(), config.cacheMaxBytes()));
        return new ModelStore(blobs, config, cache, Clock.systemUTC());
    }

    public String location()
    {
        return blobs.location();
    }

    /**
     * Adds a new version of a model, with only the store's own checks.
     *
     * @see #register(String, ModelSource, RegisterOptions, ModelValidator)
     */
    public ModelManifest register(String name, ModelSource source, RegisterOptions options)
    {
        return register(name, source, options, ModelValidator.NONE);
    }

    /**
     * Adds a new version of a model. The source must be allowed by the store's {@link RegistrationPolicy}; the ONNX
     * file is checked, described and validated before anything is written; the version becomes visible at once and
     * whole, or not at all, and a failed registration leaves no file behind.
     *
     * @throws OnyxException {@code CONCURRENT_MODIFICATION} (retryable) when other writers kept taking the next
     * version number
     */
    public ModelManifest register(String name, ModelSource source, RegisterOptions options, ModelValidator validator)
    {
        return register(name, source, options, validator, ModelConverter.NONE);
    }

    /**
     * Adds a new version of a model from an ONNX file, or from a file of another format that {@code converter}
     * recognises and turns into ONNX first (the policy and the size limit apply to the file as given).
     *
     * @see #register(String, ModelSource, RegisterOptions, ModelValidator)
     */
    public ModelManifest register(String name, ModelSource source, RegisterOptions options, ModelValidator validator, ModelConverter converter)
    {
        checkModelName(name);
        requireNonNull(source, "source is null");
        requireNonNull(options, "options is null");
        requireNonNull(validator, "validator is null");
        requireNonNull(converter, "converter is null");
        ModelSource allowed = config.registration().check(source);
        try (StagedModelFile given = stage(allowed)) {
            Optional<ConvertedModel> converted = converter.convert(given.bytes().asReadOnlyBuffer(), format("The file for model '%s' (%s)", name, ModelNames.printable(source.description())), options);
            if (converted.isEmpty()) {
                return register(name, source, options, validator, given);
            }
            try (StagedModelFile staged = stage(ModelSource.of(converted.get().onnx()))) {
                return register(name, source, converted.get().complete(options), validator, staged);
            }
        }
    }

    private ModelManifest register(String name, ModelSource source, RegisterOptions options, ModelValidator validator, StagedModelFile staged)
    {
        ByteBuffer bytes = staged.bytes();
        String sha256 = Checksums.sha256(bytes);
        OnnxModelDescription description = OnnxModelInspector.inspect(bytes, format("The ONNX file for model '%s' (%s)", name, ModelNames.printable(source.description())));
        ManifestDraft draft = new ManifestDraft(name, sha256, bytes.remaining(), description, options);
        String modelFile = StoreLayout.newModelFile();
        // every check, the feature names included, runs before the upload
        validator.validate(draft.toManifest(1, modelFile, clock.instant()), description, bytes.asReadOnlyBuffer());

        String modelFileKey = StoreLayout.modelFileKey(name, modelFile);
        boolean committed = false;
        try {
            blobs.upload(modelFileKey, staged.file());
            ContentionBackoff backoff = new ContentionBackoff(Duration.ofMillis(2), Duration.ofMillis(100), registerPatience);
            do {
                int version = versionNumbers(name).nextVersion();
                ModelManifest manifest = draft.toManifest(version, modelFile, effectiveTime().truncatedTo(ChronoUnit.MILLIS));
                if (blobs.createIfAbsent(StoreLayout.manifestKey(name, version), ManifestCodec.toJson(manifest))) {
                    committed = true;
                    awaitEffect(manifest.createdAt());
                    return manifest;
                }
            }
            while (backoff.pauseAfterLoss());
            throw new OnyxException(
                    CONCURRENT_MODIFICATION,
                    format("Could not register model '%s': other writers took the next version number %s times in %s seconds; try again",
                            name, backoff.losses(), registerPatience.toSeconds()),
                    null,
                    true);
        }
        finally {
            if (!committed) {
                deleteQuietly(modelFileKey);
            }
        }
    }

    /**
     * Finds the version a reference names now.
     */
    public ModelManifest resolve(ModelReference reference)
    {
        return resolve(reference, clock.instant());
    }

    public ModelManifest resolve(String reference)
    {
        return resolve(ModelReference.parse(reference));
    }

    /**
     * Finds the version a reference named at a given moment, usually the start of a query: every node that resolves
     * the reference for that moment finds the same version, however aliases moved and versions came and went since.
     * An alias names the version it pointed at then; {@code latest} the newest version registered by then and not
     * deleted by then; an exact version is found unless it was deleted by then. A version deleted after that moment
     * is still found (its file may be gone, then opening it fails).
     */
    public ModelManifest resolve(ModelReference reference, Instant moment)
    {
        requireNonNull(moment, "moment is null");
        String name = reference.name();
        if (reference.version().isPresent()) {
            return manifestAt(name, reference.version().getAsInt(), moment);
        }
        if (reference.alias().isPresent()) {
            String alias = reference.alias().get();
            AliasRecord record = readAlias(name, alias).orElseThrow(() -> aliasNotFound(name, alias));
            AliasRecord.Entry entry = record.entryAt(moment).orElseThrow(() -> new OnyxException(MODEL_ALIAS_NOT_FOUND, format(
                    "Model '%s' had no alias '%s' yet when this query started; run the query again",
                    name,
                    alias)));
            if (entry.version() == AliasRecord.DROPPED) {
                throw aliasNotFound(name, alias);
            }
            int version = entry.version();
            try {
                return manifestAt(name, version, moment);
            }
            catch (OnyxException e) {
                if (e.errorCode() != MODEL_VERSION_NOT_FOUND) {
                    throw e;
                }
                throw new OnyxException(MODEL_VERSION_NOT_FOUND, format("Alias '%s' of model '%s' points at version %s, which does not exist any more; set the alias again", alias, name, version), e);
            }
        }
        VersionNumbers versions = versionNumbers(name);
        for (int version : versions.manifests().descendingSet()) {
            Optional<ModelManifest> manifest = readManifest(name, version);
            if (manifest.isEmpty() || manifest.get().createdAt().isAfter(moment)) {
                continue;
            }
            if (versions.tombstones().contains(version) && !deletedAt(name, version).isAfter(moment)) {
                continue;
            }
            return manifest.get();
        }
        if (!versions.live().isEmpty()) {
            throw new OnyxException(MODEL_NOT_FOUND, format("Model '%s' had no version yet when this query started; run the query again", name));
        }
        throw modelNotFound(name);
    }

    /**
     * A version as it stood at a moment: found unless it was deleted by then.
     */
    private ModelManifest manifestAt(String name, int version, Instant moment)
    {
        checkModelName(name);
        ModelNames.checkVersion(name, version);
        Optional<ModelManifest> manifest = readManifest(name, version);
        Optional<byte[]> tombstone = blobs.read(StoreLayout.tombstoneKey(name, version));
        if (manifest.isPresent() && (tombstone.isEmpty() || deletedAt(tombstone.get()).isAfter(moment))) {
            return manifest.get();
        }
        throw versionNotFound(name, version, versionNumbers(name));
    }

    /**
     * When a change written now takes effect: after the change delay, so that every node resolving for a query that
     * starts while the change is being written still finds the state before it.
     */
    private Instant effectiveTime()
    {
        return clock.instant().plus(config.changeDelay());
    }

    /**
     * Returns once a change is in effect, so that queries started after the call see it.
     */
    private void awaitEffect(Instant effective)
    {
        while (true) {
            long remaining = Duration.between(clock.instant(), effective).toMillis();
            if (remaining < 0) {
                return;
            }
            try {
                Thread.sleep(remaining + 1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OnyxException(INTERNAL_ERROR, "Interrupted while waiting for a change to the model store to take effect", e);
            }
        }
    }

    private Optional<ModelManifest> readManifest(String name, int version)
    {
        return blobs.read(StoreLayout.manifestKey(name, version)).map(json -> decode(name, version, json));
    }

    private Instant deletedAt(String name, int version)
    {
        return blobs.read(StoreLayout.tombstoneKey(name, version)).map(ModelStore::deletedAt).orElse(Instant.MAX);
    }

    /**
     * When a tombstone says its version was deleted; a tombstone that does not say counts as deleted long ago.
     */
    private static Instant deletedAt(byte[] tombstone)
    {
        try {
            return Instant.parse(new String(tombstone, UTF_8).strip());
        }
        catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private Optional<AliasRecord> readAlias(String name, String alias)
    {
        return blobs.read(StoreLayout.aliasKey(name, alias))
                .map(json -> ManifestCodec.aliasFromJson(json, alias, format("alias '%s' of model '%s'", alias, name)));
    }

    public ModelManifest manifest(String name, int version)
    {
        checkModelName(name);
        ModelNames.checkVersion(name, version);
        Optional<byte[]> json = blobs.read(StoreLayout.manifestKey(name, version));
        if (json.isPresent() && blobs.read(StoreLayout.tombstoneKey(name, version)).isEmpty()) {
            return decode(name, version, json.get());
        }
        throw versionNotFound(name, version, versionNumbers(name));
    }

    /**
     * A manifest of a version the caller just listed, without listing again.
     */
    private ModelManifest manifest(String name, int version, VersionNumbers versions)
    {
        Optional<byte[]> json = versions.live().contains(version) ? blobs.read(StoreLayout.manifestKey(name, version)) : Optional.empty();
        if (json.isEmpty()) {
            throw versionNotFound(name, version, versions);
        }
        return decode(name, version, json.get());
    }

    private ModelManifest decode(String name, int version, byte[] json)
    {
        ModelManifest manifest = ManifestCodec.fromJson(json, describeVersion(name, version));
        if (!manifest.name().equals(name) || manifest.version() != version) {
            throw new OnyxException(MANIFEST_CORRUPT, format("The manifest of %s describes %s instead", describeVersion(name, version), manifest.reference()));
        }
        return manifest;
    }

    private OnyxException versionNotFound(String name, int version, VersionNumbers versions)
    {
        if (versions.live().isEmpty()) {
            return modelNotFound(name);
        }
        if (versions.deleted().contains(version)) {
            return new OnyxException(MODEL_VERSION_NOT_FOUND, format("Version %s of model '%s' was deleted; existing versions: %s", version, name, versions.describeLive()));
        }
        return new OnyxException(MODEL_VERSION_NOT_FOUND, format("Model '%s' has no version %s; existing versions: %s", name, version, versions.describeLive()));
    }

    /**
     * The model's ONNX file, read-only and checked against the manifest's sha256. For a remote store the file is
     * served from the local cache, downloading it first if needed.
     */
    public ByteBuffer openModel(ModelManifest manifest)
    {
        String key = StoreLayout.modelFileKey(manifest.name(), manifest.modelFile());
        Optional<Path> local = blobs.localFile(key);
        if (local.isPresent()) {
            return verified(manifest, map(manifest, local.get()));
        }
        ModelFileCache files = cache.orElseThrow();
        Optional<Path> cached = files.lookup(manifest.sha256());
        if (cached.isPresent()) {
            try {
                return verified(manifest, map(manifest, cached.get()));
            }
            catch (OnyxException e) {
                if (e.errorCode() != CHECKSUM_MISMATCH) {
                    throw e;
                }
                // a damaged cache entry: drop it and fetch the file again
                files.evict(manifest.sha256());
            }
        }
        Path download = files.newTemporaryFile();
        try {
            if (!blobs.download(key, download)) {
                throw missingModelFile(manifest);
            }
            verified(manifest, map(manifest, download));
            return map(manifest, files.store(manifest.sha256(), download));
        }
        finally {
            try {
                Files.deleteIfExists(download);
            }
            catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    public byte[] readModelBytes(ModelManifest manifest)
    {
        ByteBuffer buffer = openModel(manifest);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    public List<ModelSummary> listModels()
    {
        return listModels(Optional.empty());
    }

    /**
     * The models of the store, or only those named; a model deleted while it is being listed is left out.
     */
    public List<ModelSummary> listModels(Optional<Set<String>> names)
    {
        ImmutableList.Builder<ModelSummary> models = ImmutableList.builder();
        for (String name : modelNames(names)) {
            skippingDeleted(() -> {
                VersionNumbers versions = versionNumbers(name);
                if (versions.live().isEmpty()) {
                    return;
                }
                ModelManifest latest = manifest(name, versions.live().last(), versions);
                ModelManifest oldest = versions.live().size() == 1 ? latest : manifest(name, versions.live().first(), versions);
                models.add(new ModelSummary(
                        name,
                        latest.version(),
                        versions.live().size(),
                        aliases(name, versions),
                        latest.task(),
                        latest.description(),
                        oldest.createdAt(),
                        latest.createdAt()));
            });
        }
        return models.build();
    }

    /**
     * Every existing version of the models of the store, or of those named, with their aliases: one listing per model
     * and one read per manifest and alias. Models and versions deleted while they are being listed are left out.
     */
    public List<ModelVersions> listModelVersions(Optional<Set<String>> names)
    {
        ImmutableList.Builder<ModelVersions> models = ImmutableList.builder();
        for (String name : modelNames(names)) {
            skippingDeleted(() -> {
                VersionNumbers versions = versionNumbers(name);
                ImmutableList.Builder<ModelManifest> manifests = ImmutableList.builder();
                for (int version : versions.live()) {
                    readManifest(name, version).ifPresent(manifests::add);
                }
                List<ModelManifest> found = manifests.build();
                if (!found.isEmpty()) {
                    models.add(new ModelVersions(name, found, aliases(name, versions)));
                }
            });
        }
        return models.build();
    }

    private List<String> modelNames(Optional<Set<String>> names)
    {
        if (names.isPresent()) {
            return names.get().stream().filter(ModelStore::isValidName).sorted().collect(toImmutableList());
        }
        return blobs.listFolders(StoreLayout.MODELS).stream().filter(ModelStore::isValidName).collect(toImmutableList());
    }

    private static void skippingDeleted(Runnable listing)
    {
        try {
            listing.run();
        }
        catch (OnyxException e) {
            if (e.errorCode() != MODEL_VERSION_NOT_FOUND && e.errorCode() != MODEL_NOT_FOUND) {
                throw e;
            }
            // deleted while listing
        }
    }

    /**
     * The versions of a model that exist, oldest first.
     */
    public List<ModelManifest> listVersions(String name)
    {
        checkModelName(name);
        VersionNumbers versions = versionNumbers(name);
        if (versions.live().isEmpty()) {
            throw modelNotFound(name);
        }
        ImmutableList.Builder<ModelManifest> manifests = ImmutableList.builder();
        for (int version : versions.live()) {
            manifests.add(manifest(name, version, versions));
        }
        return manifests.build();
    }

    /**
     * Alias name to version, including {@code latest}.
     */
    public Map<String, Integer> aliases(String name)
    {
        checkModelName(name);
        VersionNumbers versions = versionNumbers(name);
        if (versions.live().isEmpty()) {
            throw modelNotFound(name);
        }
        return aliases(name, versions);
    }

    private Map<String, Integer> aliases(String name, VersionNumbers versions)
    {
        ImmutableSortedMap.Builder<String, Integer> aliases = ImmutableSortedMap.naturalOrder();
        for (BlobEntry entry : blobs.list(StoreLayout.aliasesPrefix(name))) {
            String alias = StoreLayout.aliasName(entry.fileName());
            readAlias(name, alias)
                    .flatMap(record -> record.entryAt(clock.instant()))
                    .filter(position -> position.version() != AliasRecord.DROPPED)
                    .ifPresent(position -> aliases.put(alias, position.version()));
        }
        versions.latest().ifPresent(latest -> aliases.put(ModelNames.LATEST, latest));
        return aliases.buildOrThrow();
    }

    /**
     * Points an alias at a version, from the end of the change delay on; queries that started before keep the version
     * the alias had then.
     */
    public void setAlias(String name, String alias, int version)
    {
        checkUserAlias(alias);
        manifest(name, version);
        Instant effective = effectiveTime();
        moveAlias(name, alias, version, effective);
        awaitEffect(effective);
    }

    /**
     * Drops an alias, from the end of the change delay on; queries that started before still resolve it. The record
     * stays, marked dropped, with its history.
     */
    public void removeAlias(String name, String alias)
    {
        checkUserAlias(alias);
        checkModelName(name);
        if (!aliases(name).containsKey(alias)) {
            throw aliasNotFound(name, alias);
        }
        Instant effective = effectiveTime();
        moveAlias(name, alias, AliasRecord.DROPPED, effective);
        awaitEffect(effective);
    }

    private void moveAlias(String name, String alias, int version, Instant since)
    {
        AliasRecord record = readAlias(name, alias)
                .map(current -> current.movedTo(version, since))
                .orElseGet(() -> AliasRecord.first(alias, version, since));
        blobs.write(StoreLayout.aliasKey(name, alias), ManifestCodec.aliasToJson(record));
    }

    /**
     * Deletes a version, from the end of the change delay on; its number is never given to another version. Refused
     * while a user alias points at it, unless forced, which also drops those aliases.
     */
    public void deleteVersion(String name, int version, boolean force)
    {
        ModelManifest manifest = manifest(name, version);
        List<String> users = aliases(name).entrySet().stream()
                .filter(alias -> alias.getValue() == version && !alias.getKey().equals(ModelNames.LATEST))
                .map(Map.Entry::getKey)
                .collect(toImmutableList());
        if (!users.isEmpty() && !force) {
            throw new OnyxException(MODEL_VERSION_IN_USE, format(
                    "Version %s of model '%s' is used by alias %s; point the alias elsewhere or drop it first, or force the deletion",
                    version,
                    name,
                    String.join(", ", users)));
        }
        Instant effective = effectiveTime();
        for (String alias : users) {
            moveAlias(name, alias, AliasRecord.DROPPED, effective);
        }
        blobs.write(StoreLayout.tombstoneKey(name, version), effective.toString().getBytes(UTF_8));
        awaitEffect(effective);
        // queries that started before may still name the version: where it is not loaded they now fail, never switch
        blobs.delete(StoreLayout.modelFileKey(name, manifest.modelFile()));
    }

    /**
     * Deletes a model with all its versions and aliases.
     */
    public void deleteModel(String name)
    {
        checkModelName(name);
        if (versionNumbers(name).live().isEmpty()) {
            throw modelNotFound(name);
        }
        // aliases and manifests first, so that the model disappears before its files do
        for (String prefix : List.of(StoreLayout.aliasesPrefix(name), StoreLayout.versionsPrefix(name), StoreLayout.modelFolder(name))) {
            for (BlobEntry entry : blobs.list(prefix)) {
                blobs.delete(entry.key());
            }
        }
    }

    /**
     * Takes one of {@code slots} slots of {@code pool}, shared by every node and engine that uses this store, or none
     * when all are held. The lease lasts {@code duration} unless renewed; see {@link StoreLease}.
     *
     * @param owner who holds it, written into the lease for people reading the store
     */
    public Optional<StoreLease> tryLease(String pool, int slots, String owner, Duration duration)
    {
        checkArgument(pool.matches("[a-z][a-z0-9-]*"), "invalid pool name: %s", pool);
        checkArgument(slots > 0, "slots must be positive");
        checkArgument(!duration.isNegative() && !duration.isZero(), "duration must be positive");
        return StoreLease.tryTake(blobs, clock, pool, slots, owner, duration);
    }

    /**
     * Files that no existing version names, last changed before {@code olderThan}: ONNX files of registrations
     * that failed before their manifest was written or of deleted versions whose file could not be removed, claims and
     * temporary files of writers that stopped. Younger files are left out, since a registration may be writing them.
     */
    public List<OrphanFile> orphanFiles(Instant olderThan)
    {
        return orphanFiles(olderThan, name -> true);
    }

    /**
     * {@link #orphanFiles(Instant)} of the models whose names pass the filter.
     */
    public List<OrphanFile> orphanFiles(Instant olderThan, Predicate<String> models)
    {
        ImmutableList.Builder<OrphanFile> orphans = ImmutableList.builder();
        for (String name : blobs.listFolders(StoreLayout.MODELS)) {
            if (!isValidName(name) || !models.test(name)) {
                // not written by Onyx (its files are not Onyx's to judge), or not asked for
                continue;
            }
            String folder = StoreLayout.MODELS + name + "/";
            List<BlobEntry> entries = blobs.list(folder);
            Set<Integer> tombstones = new HashSet<>();
            Map<Integer, String> manifests = new HashMap<>();
            for (BlobEntry entry : entries) {
                if (StoreLayout.isVersionRecord(entry.key().substring(folder.length()))) {
                    StoreLayout.tombstoneVersion(entry.fileName()).ifPresent(tombstones::add);
                    StoreLayout.manifestVersion(entry.fileName()).ifPresent(version -> manifests.put(version, entry.key()));
                }
            }
            Set<String> needed = new HashSet<>();
            Set<String> ofDeletedVersions = new HashSet<>();
            manifests.forEach((version, key) -> blobs.read(key).ifPresent(json -> {
                String file = StoreLayout.modelFileKey(name, ManifestCodec.fromJson(json, describeVersion(name, version)).modelFile());
                (tombstones.contains(version) ? ofDeletedVersions : needed).add(file);
            }));
            for (BlobEntry entry : entries) {
                if (!entry.lastModified().isBefore(olderThan) || needed.contains(entry.key())) {
                    continue;
                }
                String relative = entry.key().substring(folder.length());
                if (StoreLayout.isClaim(relative)) {
                    orphans.add(new OrphanFile(name, entry.key(), entry.size(), entry.lastModified(), "claim of a writer that stopped"));
                }
                else if (StoreLayout.isModelFile(relative)) {
                    String reason = ofDeletedVersions.contains(entry.key()) ? "file of a deleted version" : "no version names it";
                    orphans.add(new OrphanFile(name, entry.key(), entry.size(), entry.lastModified(), reason));
                }
            }
            for (BlobEntry entry : blobs.listIncomplete(folder)) {
                if (entry.lastModified().isBefore(olderThan)) {
                    orphans.add(new OrphanFile(name, entry.key(), entry.size(), entry.lastModified(), "temporary file of a writer that stopped"));
                }
            }
        }
        return orphans.build();
    }

    /**
     * Deletes what {@link #orphanFiles} finds and returns it. Files younger than {@link #MIN_ORPHAN_AGE} are never
     * deleted.
     */
    public List<OrphanFile> removeOrphanFiles(Duration olderThan)
    {
        return removeOrphanFiles(olderThan, name -> true);
    }

    /**
     * {@link #removeOrphanFiles(Duration)} of the models whose names pass the filter.
     */
    public List<OrphanFile> removeOrphanFiles(Duration olderThan, Predicate<String> models)
    {
        if (olderThan.compareTo(MIN_ORPHAN_AGE) < 0) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Orphan files must be older than %s before they are removed, so that registrations still running keep their files; got %s",
                    MIN_ORPHAN_AGE.toString().substring(2).toLowerCase(Locale.ROOT),
                    olderThan.toString().substring(2).toLowerCase(Locale.ROOT)));
        }
        List<OrphanFile> orphans = orphanFiles(clock.instant().minus(olderThan), models);
        for (OrphanFile orphan : orphans) {
            blobs.delete(orphan.key());
        }
        return orphans;
    }

    @Override
    public void close()
    {
        blobs.close();
    }

    private VersionNumbers versionNumbers(String name)
    {
        NavigableSet<Integer> manifests = new TreeSet<>();
        NavigableSet<Integer> tombstones = new TreeSet<>();
        for (BlobEntry entry : blobs.list(StoreLayout.versionsPrefix(name))) {
            StoreLayout.manifestVersion(entry.fileName()).ifPresent(manifests::add);
            StoreLayout.tombstoneVersion(entry.fileName()).ifPresent(tombstones::add);
        }
        return new VersionNumbers(manifests, tombstones);
    }

    private record VersionNumbers(NavigableSet<Integer> manifests, NavigableSet<Integer> tombstones)
    {
        NavigableSet<Integer> live()
        {
            NavigableSet<Integer> live = new TreeSet<>(manifests);
            live.removeAll(tombstones);
            return live;
        }

        NavigableSet<Integer> deleted()
        {
            return tombstones;
        }

        OptionalInt latest()
        {
            NavigableSet<Integer> live = live();
            return live.isEmpty() ? OptionalInt.empty() : OptionalInt.of(live.last());
        }

        int nextVersion()
        {
            int highest = Math.max(manifests.isEmpty() ? 0 : manifests.last(), tombstones.isEmpty() ? 0 : tombstones.last());
            return highest + 1;
        }

        String describeLive()
        {
            NavigableSet<Integer> live = live();
            return live.isEmpty() ? "none" : ImmutableSortedSet.copyOf(live).toString().replaceAll("[\\[\\]]", "");
        }
    }

    private record ManifestDraft(String name, String sha256, long size, OnnxModelDescription description, RegisterOptions options)
    {
        ModelManifest toManifest(int version, String modelFile, Instant createdAt)
        {
            ModelSignature signature = description.signature();
            List<String> featureNames = options.featureNames()
                    .map(names -> ModelFeatures.checkNames(name, signature, names))
                    .orElseGet(() -> ModelFeatures.defaultNames(name, signature, metadataFeatureNames()));
            return new ModelManifest(
                    name,
                    version,
                    createdAt,
                    modelFile,
                    sha256,
                    size,
                    description.onnx(),
                    signature,
                    options.task().or(description::task).orElse(ModelTask.OTHER),
                    options.classLabels().orElse(description.classLabels()),
                    featureNames,
                    options.description(),
                    options.handlesMissingValues(),
                    options.training(),
                    options.metrics(),
                    options.registeredBy());
        }

        private Optional<List<String>> metadataFeatureNames()
        {
            return Optional.ofNullable(description.metadata().get("feature_names"))
                    .map(names -> Arrays.stream(names.split(",")).map(String::strip).collect(toImmutableList()));
        }
    }

    /**
     * The ONNX file being registered, as a local file mapped into memory.
     */
    private StagedModelFile stage(ModelSource source)
    {
        RegistrationPolicy policy = config.registration();
        if (source instanceof ModelSource.LocalFile file) {
            return StagedModelFile.existing(file, policy);
        }
        if (source instanceof ModelSource.Bytes bytes) {
            return StagedModelFile.temporary(bytes.bytes(), policy);
        }
        return StagedModelFile.downloaded((ModelSource.ObjectUri) source, config.s3(), policy);
    }

    private ByteBuffer map(ModelManifest manifest, Path file)
    {
        try (FileChannel channel = FileChannel.open(file)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).asReadOnlyBuffer();
        }
        catch (NoSuchFileException e) {
            throw missingModelFile(manifest);
        }
        catch (IOException e) {
            throw new OnyxException(STORE_ERROR, format("Could not read the ONNX file of %s: %s", manifest.reference(), IoFailures.reason(e)), e);
        }
    }

    private static ByteBuffer verified(ModelManifest manifest, ByteBuffer bytes)
    {
        String actual = Checksums.sha256(bytes);
        if (bytes.remaining() != manifest.sizeBytes() || !actual.equals(manifest.sha256())) {
            throw new OnyxException(CHECKSUM_MISMATCH, format(
                    "The ONNX file of model %s fails its checksum (expected sha256 %s and %s bytes, found sha256 %s and %s bytes); the stored file was changed or damaged and is not used",
                    manifest.reference(),
                    manifest.sha256(),
                    manifest.sizeBytes(),
                    actual,
                    bytes.remaining()));
        }
        return bytes;
    }

    private OnyxException missingModelFile(ModelManifest manifest)
    {
        if (blobs.read(StoreLayout.tombstoneKey(manifest.name(), manifest.version())).isPresent()) {
            return new OnyxException(MODEL_VERSION_NOT_FOUND, format("Version %s of model '%s' was deleted while this query ran; run it again", manifest.version(), manifest.name()));
        }
        return new OnyxException(STORE_ERROR, format("The ONNX file of model %s is missing from the model store (%s)", manifest.reference(), manifest.modelFile()));
    }

    private OnyxException modelNotFound(String name)
    {
        return new OnyxException(MODEL_NOT_FOUND, format("Model '%s' does not exist", name));
    }

    private OnyxException aliasNotFound(String name, String alias)
    {
        VersionNumbers versions = versionNumbers(name);
        if (versions.live().isEmpty()) {
            return modelNotFound(name);
        }
        return new OnyxException(MODEL_ALIAS_NOT_FOUND, format("Model '%s' has no alias '%s'; its aliases: %s", name, alias, String.join(", ", aliases(name, versions).keySet())));
    }

    private String describeVersion(String name, int version)
    {
        return format("model '%s' version %s", name, version);
    }

    private void deleteQuietly(String key)
    {
        try {
            blobs.delete(key);
        }
        catch (RuntimeException ignored) {
            // best effort: an unreferenced file is harmless
        }
    }

    private static boolean isValidName(String name)
    {
        try {
            checkModelName(name);
            return true;
        }
        catch (OnyxException e) {
            return false;
        }
    }
}
