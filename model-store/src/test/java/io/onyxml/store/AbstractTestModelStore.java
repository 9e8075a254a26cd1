package io.onyxml.store;

import com.google.common.hash.Hashing;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.cache.ModelFileCache;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.OnyxErrorCode.CHECKSUM_MISMATCH;
import static io.onyxml.store.OnyxErrorCode.CONCURRENT_MODIFICATION;
import static io.onyxml.store.OnyxErrorCode.INVALID_ALIAS;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_NAME;
import static io.onyxml.store.OnyxErrorCode.MANIFEST_CORRUPT;
import static io.onyxml.store.OnyxErrorCode.MODEL_ALIAS_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.MODEL_NOT_FOUND;
import static io.onyxml.store.OnyxErrorCode.MODEL_VERSION_IN_USE;
import static io.onyxml.store.OnyxErrorCode.MODEL_VERSION_NOT_FOUND;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The behaviour every back end must show; subclasses supply a fresh, empty blob store per test.
 */
public abstract class AbstractTestModelStore
{
    @TempDir
    protected Path temporary;

    protected BlobStore blobs;
    protected ModelStore store;

    protected abstract BlobStore createBlobStore();

    protected Optional<ModelFileCache> createCache()
    {
        return Optional.empty();
    }

    protected S3Options storeOptions()
    {
        return S3Options.DEFAULTS;
    }

    @BeforeEach
    void openStore()
    {
        blobs = createBlobStore();
        store = new ModelStore(blobs, ModelStoreConfig.of(blobs.location(), storeOptions()), createCache(), Clock.systemUTC());
    }

    @AfterEach
    void closeStore()
    {
        store.close();
    }

    @Test
    void registersAndResolvesAVersion()
    {
        byte[] model = TestModels.linearRegression();
        ModelManifest manifest = store.register("linear", ModelSource.of(model), RegisterOptions.builder()
                .description("house prices")
                .task(ModelTask.REGRESSION)
                .featureNames(TestModels.LINEAR_FEATURES)
                .metric("rmse", 0.25)
                .training(Map.of("algorithm", "ols"))
                .build());

        assertThat(manifest.name()).isEqualTo("linear");
        assertThat(manifest.version()).isEqualTo(1);
        assertThat(manifest.sha256()).isEqualTo(Hashing.sha256().hashBytes(model).toString());
        assertThat(manifest.sizeBytes()).isEqualTo(model.length);
        assertThat(manifest.signature().inputs()).containsExactly(ValueSpec.tensor("x", FLOAT, DYNAMIC, 4));
        assertThat(manifest.signature().outputs()).containsExactly(ValueSpec.tensor("y", FLOAT, DYNAMIC, 1));
        assertThat(manifest.featureNames()).containsExactly("a", "b", "c", "d");
        assertThat(manifest.task()).isEqualTo(ModelTask.REGRESSION);
        assertThat(manifest.description()).contains("house prices");
        assertThat(manifest.metrics()).containsEntry("rmse", 0.25);
        assertThat(manifest.training()).containsEntry("algorithm", "ols");
        assertThat(manifest.onnx().irVersion()).isEqualTo(8);

        assertThat(store.resolve("linear")).isEqualTo(manifest);
        assertThat(store.resolve("linear/1")).isEqualTo(manifest);
        assertThat(store.resolve("linear@latest")).isEqualTo(manifest);
        assertThat(store.readModelBytes(manifest)).isEqualTo(model);
    }

    @Test
    void numbersVersionsAndKeepsLatestUpToDate()
    {
        for (int i = 1; i <= 3; i++) {
            assertThat(store.register("linear", ModelSource.of(identityModel(i)), RegisterOptions.DEFAULTS).version()).isEqualTo(i);
        }
        assertThat(store.resolve("linear").version()).isEqualTo(3);
        assertThat(store.listVersions("linear")).extracting(ModelManifest::version).containsExactly(1, 2, 3);
        assertThat(store.readModelBytes(store.resolve("linear/2"))).isEqualTo(identityModel(2));
        assertThat(store.aliases("linear")).containsExactly(Map.entry("latest", 3));
    }

    @Test
    void infersTaskLabelsAndFeaturesFromTheModel()
    {
        ModelManifest classifier = store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS);
        assertThat(classifier.task()).isEqualTo(ModelTask.CLASSIFICATION);
        assertThat(classifier.classLabels()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(classifier.featureNames()).containsExactly("x_0", "x_1", "x_2", "x_3");
        assertThat(classifier.description()).isEmpty();

        ModelManifest columns = store.register("mixed", ModelSource.of(TestModels.mixedColumns()), RegisterOptions.DEFAULTS);
        assertThat(columns.task()).isEqualTo(ModelTask.OTHER);
        assertThat(columns.featureNames()).containsExactly("age", "city", "member");
    }

    @Test
    void registersFromAFileAndAFileUri()
            throws Exception
    {
        Path file = temporary.resolve("model.onnx");
        Files.write(file, TestModels.treeEnsemble());
        assertThat(store.register("trees", ModelSource.parse(file.toString()), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
        assertThat(store.register("trees", ModelSource.parse(file.toUri().toString()), RegisterOptions.DEFAULTS).version()).isEqualTo(2);
        assertThat(store.readModelBytes(store.resolve("trees"))).isEqualTo(TestModels.treeEnsemble());
        assertThatThrownBy(() -> store.register("trees", ModelSource.parse(temporary.resolve("missing.onnx").toString()), RegisterOptions.DEFAULTS))
                .hasMessageContaining("missing.onnx does not exist")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);
        assertThatThrownBy(() -> ModelSource.parse("ftp://host/model.onnx"))
                .hasMessageContaining("unsupported scheme");
    }

    @Test
    void managesAliases()
    {
        for (int i = 1; i <= 3; i++) {
            store.register("linear", ModelSource.of(identityModel(i)), RegisterOptions.DEFAULTS);
        }
        store.setAlias("linear", "production", 2);
        store.setAlias("linear", "staging", 3);
        assertThat(store.resolve("linear@production").version()).isEqualTo(2);
        assertThat(store.aliases("linear")).containsExactly(Map.entry("latest", 3), Map.entry("production", 2), Map.entry("staging", 3));

        store.setAlias("linear", "production", 1);
        assertThat(store.resolve("linear@production").version()).isEqualTo(1);

        store.removeAlias("linear", "staging");
        assertThatThrownBy(() -> store.resolve("linear@staging"))
                .hasMessage("Model 'linear' has no alias 'staging'; its aliases: latest, production")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);
        assertThatThrownBy(() -> store.removeAlias("linear", "staging"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);
        assertThatThrownBy(() -> store.setAlias("linear", "latest", 1))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ALIAS);
        assertThatThrownBy(() -> store.setAlias("linear", "production", 7))
                .hasMessage("Model 'linear' has no version 7; existing versions: 1, 2, 3")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_VERSION_NOT_FOUND);
        assertThat(store.resolve("linear@production").version()).isEqualTo(1);
        assertThatThrownBy(() -> store.setAlias("nope", "production", 1))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);
    }

    @Test
    void deletesVersionsWithoutReusingTheirNumbers()
    {
        for (int i = 1; i <= 3; i++) {
            store.register("linear", ModelSource.of(identityModel(i)), RegisterOptions.DEFAULTS);
        }
        store.setAlias("linear", "production", 3);

        assertThatThrownBy(() -> store.deleteVersion("linear", 3, false))
                .hasMessage("Version 3 of model 'linear' is used by alias production; point the alias elsewhere or drop it first, or force the deletion")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_VERSION_IN_USE);
        assertThat(store.resolve("linear@production").version()).isEqualTo(3);

        store.deleteVersion("linear", 2, false);
        assertThatThrownBy(() -> store.resolve("linear/2"))
                .hasMessage("Version 2 of model 'linear' was deleted; existing versions: 1, 3")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_VERSION_NOT_FOUND);

        store.deleteVersion("linear", 3, true);
        assertThat(store.resolve("linear").version()).isEqualTo(1);
        assertThat(store.aliases("linear")).containsExactly(Map.entry("latest", 1));
        assertThatThrownBy(() -> store.resolve("linear@production"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);

        assertThat(store.register("linear", ModelSource.of(identityModel(4)), RegisterOptions.DEFAULTS).version()).isEqualTo(4);
        assertThat(store.listVersions("linear")).extracting(ModelManifest::version).containsExactly(1, 4);
        assertThatThrownBy(() -> store.deleteVersion("linear", 2, false))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_VERSION_NOT_FOUND);
    }

    @Test
    void deletesModels()
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        store.register("other", ModelSource.of(identityModel(3)), RegisterOptions.DEFAULTS);

        store.deleteModel("linear");
        assertThat(store.listModels()).extracting(ModelSummary::name).containsExactly("other");
        assertThat(blobs.list("models/linear/")).isEmpty();
        assertThatThrownBy(() -> store.resolve("linear"))
                .hasMessage("Model 'linear' does not exist")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);
        assertThatThrownBy(() -> store.deleteModel("linear"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);

        assertThat(store.register("linear", ModelSource.of(identityModel(5)), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
    }

    @Test
    void listsModels()
    {
        assertThat(store.listModels()).isEmpty();
        ModelManifest first = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.builder().description("first").build());
        ModelManifest second = store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.builder().description("second").task(ModelTask.EMBEDDING).build());
        store.setAlias("linear", "production", 1);
        store.register("iris", ModelSource.of(TestModels.classifier()), RegisterOptions.DEFAULTS);

        List<ModelSummary> models = store.listModels();
        assertThat(models).extracting(ModelSummary::name).containsExactly("iris", "linear");
        ModelSummary linear = models.get(1);
        assertThat(linear.latestVersion()).isEqualTo(2);
        assertThat(linear.versionCount()).isEqualTo(2);
        assertThat(linear.aliases()).containsExactly(Map.entry("latest", 2), Map.entry("production", 1));
        assertThat(linear.task()).isEqualTo(ModelTask.EMBEDDING);
        assertThat(linear.description()).contains("second");
        assertThat(linear.createdAt()).isEqualTo(first.createdAt());
        assertThat(linear.updatedAt()).isEqualTo(second.createdAt());
    }

    @Test
    void reportsUnknownModelsVersionsAndAliases()
    {
        assertThatThrownBy(() -> store.resolve("churn"))
                .isInstanceOf(OnyxException.class)
                .hasMessage("Model 'churn' does not exist");
        assertThatThrownBy(() -> store.resolve("churn/2"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);
        assertThatThrownBy(() -> store.resolve("churn@production"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);
        assertThatThrownBy(() -> store.listVersions("churn"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);

        store.register("churn", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        assertThatThrownBy(() -> store.resolve("churn/2"))
                .hasMessage("Model 'churn' has no version 2; existing versions: 1");
        assertThatThrownBy(() -> store.resolve("churn@production"))
                .hasMessage("Model 'churn' has no alias 'production'; its aliases: latest");
    }

    @Test
    void rejectsBadInputAndLeavesTheStoreAsItWas()
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        List<BlobEntry> before = blobs.list("");

        assertThatThrownBy(() -> store.register("linear", ModelSource.of("not a model".getBytes(UTF_8)), RegisterOptions.DEFAULTS))
                .hasMessageStartingWith("The ONNX file for model 'linear' (the given bytes (11 bytes)) is not")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_FILE);
        assertThatThrownBy(() -> store.register("../escape", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_MODEL_NAME);
        assertThatThrownBy(() -> store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.builder().featureNames(List.of("a", "b")).build()))
                .hasMessage("Model 'linear' takes 4 features (inputs: x float[N,4]), but 2 feature names were given")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);

        assertThat(blobs.list("")).extracting(BlobEntry::key).isEqualTo(before.stream().map(BlobEntry::key).toList());
        assertThat(store.resolve("linear").version()).isEqualTo(1);
    }

    @Test
    void neverServesAFileThatFailsItsChecksum()
    {
        ModelManifest manifest = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        blobs.write("models/linear/" + manifest.modelFile(), identityModel(2));

        assertThatThrownBy(() -> store.openModel(manifest))
                .hasMessageStartingWith("The ONNX file of model linear/1 fails its checksum (expected sha256 " + manifest.sha256())
                .hasMessageEndingWith("the stored file was changed or damaged and is not used")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(CHECKSUM_MISMATCH);

        // cut short, as by a copy that stopped midway; another model is served as before
        ModelManifest other = store.register("other", ModelSource.of(identityModel(3)), RegisterOptions.DEFAULTS);
        byte[] original = identityModel(1);
        blobs.write("models/linear/" + manifest.modelFile(), Arrays.copyOf(original, original.length / 2));
        assertThatThrownBy(() -> store.openModel(manifest))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(CHECKSUM_MISMATCH);
        assertThat(store.readModelBytes(other)).isEqualTo(identityModel(3));
    }

    @Test
    void reportsMalformedManifests()
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        blobs.write("models/linear/versions/00000001.json", "{\"format_version\": 1, \"name\": \"linear\"".getBytes(UTF_8));
        assertThatThrownBy(() -> store.resolve("linear"))
                .hasMessageStartingWith("The manifest of model 'linear' version 1 is malformed: it is not valid JSON")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MANIFEST_CORRUPT);

        blobs.write("models/linear/versions/00000001.json", "{\"format_version\": 1, \"name\": \"linear\"}".getBytes(UTF_8));
        assertThatThrownBy(() -> store.resolve("linear/1"))
                .hasMessage("The manifest of model 'linear' version 1 is malformed: field 'onnx' is missing");
    }

    @Test
    void registerGivesUpWithARetryableErrorWhenOtherWritersKeepTakingTheVersion()
    {
        store.register("busy", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        BlobStore alwaysTaken = (BlobStore) Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(),
                new Class<?>[] {BlobStore.class},
                (proxy, method, arguments) -> method.getName().equals("createIfAbsent") ? false : method.invoke(blobs, arguments));
        ModelStore losing = new ModelStore(alwaysTaken, ModelStoreConfig.of(blobs.location(), storeOptions()), Optional.empty(), Clock.systemUTC(), Duration.ofMillis(300));

        assertThatThrownBy(() -> losing.register("busy", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS))
                .isInstanceOfSatisfying(OnyxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CONCURRENT_MODIFICATION);
                    assertThat(e.isRetryable()).isTrue();
                })
                .hasMessageMatching("Could not register model 'busy': other writers took the next version number \\d+ times in 0 seconds; try again");
        assertThat(store.listVersions("busy")).extracting(ModelManifest::version).containsExactly(1);
        assertThat(blobs.list("models/busy/files/")).hasSize(1);
    }

    @Test
    void concurrentWritersAndReadersSeeWholeVersions()
            throws Exception
    {
        int writers = 6;
        int versionsPerWriter = 4;
        Map<String, byte[]> registered = new ConcurrentHashMap<>();
        Set<Integer> versions = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int writer = 0; writer < writers; writer++) {
                int id = writer;
                futures.add(executor.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < versionsPerWriter; i++) {
                        byte[] model = identityModel(1000 * id + i);
                        ModelManifest manifest = store.register("shared", ModelSource.of(model), RegisterOptions.DEFAULTS);
                        assertThat(versions.add(manifest.version())).as("version %s given twice", manifest.version()).isTrue();
                        registered.put(manifest.sha256(), model);
                    }
                    return null;
                }));
            }
            for (int reader = 0; reader < 2; reader++) {
                futures.add(executor.submit((Callable<Void>) () -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        try {
                            ModelManifest latest = store.resolve("shared");
                            assertThat(Hashing.sha256().hashBytes(store.readModelBytes(latest)).toString()).isEqualTo(latest.sha256());
                        }
                        catch (OnyxException e) {
                            assertThat(e.errorCode()).isEqualTo(MODEL_NOT_FOUND);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
        }
        finally {
            executor.shutdownNow();
        }

        assertThat(versions).hasSize(writers * versionsPerWriter);
        List<ModelManifest> manifests = store.listVersions("shared");
        assertThat(manifests).extracting(ModelManifest::version).containsExactlyElementsOf(versions.stream().sorted().toList());
        assertThat(manifests.get(manifests.size() - 1).version()).isEqualTo(writers * versionsPerWriter);
        for (ModelManifest manifest : manifests) {
            assertThat(store.readModelBytes(manifest)).isEqualTo(registered.get(manifest.sha256()));
        }
        assertThat(blobs.list("models/shared/files/")).hasSize(writers * versionsPerWriter);
    }

    @Test
    void resolvesReferencesAsTheyWereWhenAQueryStarted()
            throws Exception
    {
        ModelManifest first = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        Instant afterFirst = pause();
        ModelManifest second = store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 2);
        Instant afterSecond = pause();

        // a query that started before the second version and the alias move keeps what it saw then
        assertThat(store.resolve(ModelReference.parse("linear"), afterFirst)).isEqualTo(first);
        assertThat(store.resolve(ModelReference.parse("linear@production"), afterFirst)).isEqualTo(first);
        assertThat(store.resolve(ModelReference.parse("linear"), afterSecond)).isEqualTo(second);
        assertThat(store.resolve(ModelReference.parse("linear@production"), afterSecond)).isEqualTo(second);
        // exact versions are immutable: found even when registered after the query started
        assertThat(store.resolve(ModelReference.parse("linear/2"), afterFirst)).isEqualTo(second);

        assertThatThrownBy(() -> store.resolve(ModelReference.parse("linear"), first.createdAt().minusSeconds(1)))
                .hasMessage("Model 'linear' had no version yet when this query started; run the query again")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_NOT_FOUND);
        assertThatThrownBy(() -> store.resolve(ModelReference.parse("linear@production"), first.createdAt().minusSeconds(1)))
                .hasMessage("Model 'linear' had no alias 'production' yet when this query started; run the query again")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);

        // a version deleted after a query started is still what that query's latest names; later queries skip it
        store.deleteVersion("linear", 2, true);
        Instant afterDeletion = pause();
        assertThat(store.resolve(ModelReference.parse("linear"), afterSecond)).isEqualTo(second);
        assertThat(store.resolve(ModelReference.parse("linear/2"), afterSecond)).isEqualTo(second);
        assertThat(store.resolve(ModelReference.parse("linear"), afterDeletion)).isEqualTo(first);
        assertThatThrownBy(() -> store.resolve(ModelReference.parse("linear/2"), afterDeletion))
                .hasMessage("Version 2 of model 'linear' was deleted; existing versions: 1");
        // its file is gone, so the query that still names it fails instead of scoring with another version
        assertThatThrownBy(() -> store.openModel(second))
                .hasMessage("Version 2 of model 'linear' was deleted while this query ran; run it again")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_VERSION_NOT_FOUND);
    }

    @Test
    void aSlowWriteCannotMakeTwoNodesOfOneQuerySeeDifferentVersions()
            throws Exception
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        // an alias write lands only once the test lets it; changes take effect 800 ms after they are written
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch land = new CountDownLatch(1);
        BlobStore slow = (BlobStore) Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(),
                new Class<?>[] {BlobStore.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("write") && ((String) arguments[0]).contains("/aliases/")) {
                        writing.countDown();
                        assertThat(land.await(30, SECONDS)).isTrue();
                    }
                    return method.invoke(blobs, arguments);
                });
        ModelStore delayed = new ModelStore(slow, ModelStoreConfig.of(blobs.location(), storeOptions()).withChangeDelay(Duration.ofMillis(800)), Optional.empty(), Clock.systemUTC());
        ExecutorService mover = Executors.newSingleThreadExecutor();
        try {
            Future<?> moving = mover.submit(() -> delayed.setAlias("linear", "production", 2));
            assertThat(writing.await(30, SECONDS)).isTrue();
            // a query starts while the write is in flight; one node resolves before it lands, another after
            Instant queryStart = Instant.now();
            int early = store.resolve(ModelReference.parse("linear@production"), queryStart).version();
            land.countDown();
            moving.get();
            int late = store.resolve(ModelReference.parse("linear@production"), queryStart).version();
            assertThat(late).as("versions seen by the nodes of one query").isEqualTo(early).isEqualTo(1);
            // the call returned once the change was in effect: a query starting now sees it
            assertThat(store.resolve(ModelReference.parse("linear@production"), Instant.now()).version()).isEqualTo(2);
        }
        finally {
            mover.shutdownNow();
        }
    }

    @Test
    void aDroppedAliasStillResolvesForQueriesThatStartedBefore()
            throws Exception
    {
        ModelManifest first = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        store.setAlias("linear", "staging", 2);
        Instant before = pause();
        store.removeAlias("linear", "production");
        store.deleteVersion("linear", 2, true);

        assertThat(store.resolve(ModelReference.parse("linear@production"), before)).isEqualTo(first);
        assertThat(store.resolve(ModelReference.parse("linear@staging"), before).version()).isEqualTo(2);
        assertThatThrownBy(() -> store.resolve("linear@production"))
                .hasMessage("Model 'linear' has no alias 'production'; its aliases: latest")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);
        assertThatThrownBy(() -> store.resolve("linear@staging"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);
        assertThat(store.aliases("linear")).containsExactly(Map.entry("latest", 1));
        assertThatThrownBy(() -> store.removeAlias("linear", "production"))
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(MODEL_ALIAS_NOT_FOUND);
        // set again, it keeps its history
        store.setAlias("linear", "production", 1);
        assertThat(store.resolve("linear@production")).isEqualTo(first);
    }

    @Test
    void listsVersionsOfAllOrSomeModelsInOnePass()
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        store.register("other", ModelSource.of(identityModel(3)), RegisterOptions.DEFAULTS);
        store.register("third", ModelSource.of(identityModel(4)), RegisterOptions.DEFAULTS);

        Map<String, Integer> calls = new ConcurrentHashMap<>();
        BlobStore counting = (BlobStore) Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(),
                new Class<?>[] {BlobStore.class},
                (proxy, method, arguments) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    return method.invoke(blobs, arguments);
                });
        ModelStore listing = new ModelStore(counting, ModelStoreConfig.of(blobs.location(), storeOptions()), Optional.empty(), Clock.systemUTC());

        List<ModelVersions> all = listing.listModelVersions(Optional.empty());
        assertThat(all).extracting(ModelVersions::name).containsExactly("linear", "other", "third");
        assertThat(all.get(0).versions()).extracting(ModelManifest::version).containsExactly(1, 2);
        assertThat(all.get(0).aliasesOf(1)).containsExactly("production");
        assertThat(all.get(0).aliasesOf(2)).containsExactly("latest");
        // the model folders once, then per model its versions and its aliases; each manifest and alias read once
        assertThat(calls).containsEntry("listFolders", 1).containsEntry("list", 6).containsEntry("read", 5);

        calls.clear();
        assertThat(listing.listModelVersions(Optional.of(Set.of("other", "missing", "Not A Name")))).extracting(ModelVersions::name).containsExactly("other");
        // a model that does not exist costs one listing
        assertThat(calls).doesNotContainKey("listFolders").containsEntry("list", 3).containsEntry("read", 1);
        assertThat(listing.listModels(Optional.of(Set.of("linear")))).extracting(ModelSummary::name).containsExactly("linear");
    }

    @Test
    void findsAndRemovesOrphanFiles()
            throws Exception
    {
        // a folder Onyx did not write is left alone
        blobs.write("models/Not A Model/files/0000-someone-elses.onnx", identityModel(9));
        ModelManifest kept = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        ModelManifest deleted = store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS);
        store.deleteVersion("linear", 2, false);
        // as if the deletion of the file had failed, and a registration had died between upload and commit
        blobs.write("models/linear/" + deleted.modelFile(), identityModel(2));
        blobs.write("models/linear/files/0000-failed-registration.onnx", identityModel(3));
        blobs.write("models/gone/files/0000-of-a-dropped-model.onnx", identityModel(4));
        addIncompleteWrites();

        assertThat(store.orphanFiles(Instant.now().minusSeconds(3600))).isEmpty();
        ModelStore later = new ModelStore(blobs, ModelStoreConfig.of(blobs.location(), storeOptions()), createCache(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertThatThrownBy(() -> later.removeOrphanFiles(Duration.ofMinutes(5)))
                .hasMessage("Orphan files must be older than 1h before they are removed, so that registrations still running keep their files; got 5m")
                .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(INVALID_ARGUMENT);

        List<OrphanFile> removed = later.removeOrphanFiles(Duration.ofHours(1));
        assertThat(removed).extracting(OrphanFile::key, OrphanFile::reason).contains(
                tuple("models/gone/files/0000-of-a-dropped-model.onnx", "no version names it"),
                tuple("models/linear/files/0000-failed-registration.onnx", "no version names it"),
                tuple("models/linear/" + deleted.modelFile(), "file of a deleted version"));
        assertThat(removed).hasSize(3 + expectedIncompleteWrites());
        assertThat(blobs.list("models/linear/files/")).extracting(BlobEntry::key).containsExactly("models/linear/" + kept.modelFile());
        assertThat(blobs.list("models/gone/")).isEmpty();
        assertThat(store.readModelBytes(store.resolve("linear"))).isEqualTo(identityModel(1));
        assertThat(later.orphanFiles(Instant.now().plusSeconds(3600))).isEmpty();
        assertThat(blobs.list("models/Not A Model/")).hasSize(1);
    }

    @Test
    void leasesLimitEveryoneWhoUsesTheStore()
            throws Exception
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        ModelStore otherNode = new ModelStore(blobs, ModelStoreConfig.of(blobs.location(), storeOptions()), Optional.empty(), Clock.systemUTC());
        StoreLease first = store.tryLease("training", 2, "query 1", Duration.ofMinutes(1)).orElseThrow();
        StoreLease second = otherNode.tryLease("training", 2, "query 2", Duration.ofMinutes(1)).orElseThrow();
        assertThat(List.of(first.slot(), second.slot())).containsExactly("leases/training/slot-0.json", "leases/training/slot-1.json");
        assertThat(store.tryLease("training", 2, "query 3", Duration.ofMinutes(1))).isEmpty();
        // another pool, and a larger count, see other slots
        assertThat(store.tryLease("loads", 1, "query 3", Duration.ofMinutes(1))).isPresent();
        assertThat(first.held()).isTrue();
        assertThat(first.renew()).isTrue();

        first.close();
        assertThat(first.held()).isFalse();
        StoreLease third = otherNode.tryLease("training", 2, "query 3", Duration.ofMinutes(1)).orElseThrow();
        assertThat(third.slot()).isEqualTo("leases/training/slot-0.json");
        // leases are no models and no orphans
        assertThat(store.listModels()).extracting(ModelSummary::name).containsExactly("linear");
        ModelStore later = new ModelStore(blobs, ModelStoreConfig.of(blobs.location(), storeOptions()), Optional.empty(), Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertThat(later.orphanFiles(Instant.now().plusSeconds(3600))).isEmpty();
        second.close();
        third.close();
    }

    @Test
    void anExpiredLeaseIsTakenOverOnceAndItsHolderLearnsItLostIt()
            throws Exception
    {
        StoreLease stalled = store.tryLease("training", 1, "query 1", Duration.ofMinutes(1)).orElseThrow();
        // two minutes later, as other nodes see it: the lease expired
        ModelStore later = new ModelStore(blobs, ModelStoreConfig.of(blobs.location(), storeOptions()), Optional.empty(), Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2)));
        List<Optional<StoreLease>> takers = concurrently(4, () -> later.tryLease("training", 1, "query 2", Duration.ofMinutes(1)));
        assertThat(takers.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        StoreLease taker = takers.stream().flatMap(Optional::stream).findFirst().orElseThrow();

        assertThat(stalled.held()).isFalse();
        assertThat(stalled.renew()).isFalse();
        // closing the lost lease leaves the new holder's alone
        stalled.close();
        assertThat(taker.held()).isTrue();
        assertThat(store.tryLease("training", 1, "query 3", Duration.ofMinutes(1))).isEmpty();
        taker.close();
        assertThat(blobs.list("leases/training/")).isEmpty();
        assertThat(store.tryLease("training", 1, "query 3", Duration.ofMinutes(1))).isPresent();
    }

    @Test
    void leasesTakenAtTheSameMomentNeverExceedTheSlots()
            throws Exception
    {
        List<Optional<StoreLease>> leases = concurrently(8, () -> store.tryLease("training", 3, "query", Duration.ofMinutes(1)));
        long taken = leases.stream().filter(Optional::isPresent).count();
        // stores without conditional writes may let contenders for one slot all back off, never both take it
        assertThat(taken).isBetween(1L, 3L);
        assertThat(leases.stream().flatMap(Optional::stream).map(StoreLease::slot).distinct().count()).isEqualTo(taken);
        leases.stream().flatMap(Optional::stream).forEach(StoreLease::close);
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task)
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, SECONDS));
            }
            return results;
        }
        finally {
            executor.shutdownNow();
        }
    }

    /**
     * Leaves what a writer of this back end leaves when it stops midway (nothing by default).
     */
    protected void addIncompleteWrites()
            throws Exception
    {}

    protected int expectedIncompleteWrites()
    {
        return 0;
    }

    @Test
    void aRegistrationTheValidatorRefusesLeavesNothingBehind()
            throws Exception
    {
        store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        List<String> before = blobs.list("").stream().map(BlobEntry::key).toList();
        Path file = temporary.resolve("refused.onnx");
        Files.write(file, identityModel(2));
        List<String> stagedBefore = stagedFiles();

        ModelValidator refusing = (draft, description, bytes) -> {
            assertThat(draft.name()).isEqualTo("linear");
            assertThat(bytes.remaining()).isEqualTo(identityModel(2).length);
            throw new OnyxException(OnyxErrorCode.UNSUPPORTED_MODEL, "refused by the runtime");
        };
        assertThatThrownBy(() -> store.register("linear", ModelSource.of(identityModel(2)), RegisterOptions.DEFAULTS, refusing)).hasMessage("refused by the runtime");
        assertThatThrownBy(() -> store.register("linear", ModelSource.of(file), RegisterOptions.DEFAULTS, refusing)).hasMessage("refused by the runtime");

        assertThat(blobs.list("").stream().map(BlobEntry::key).toList()).isEqualTo(before);
        assertThat(stagedFiles()).isEqualTo(stagedBefore);
        assertThat(Files.readAllBytes(file)).isEqualTo(identityModel(2));
    }

    private static List<String> stagedFiles()
            throws Exception
    {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("onyx-register-")).sorted().toList();
        }
    }

    /**
     * A moment strictly between what happened before and what happens after, on the store's millisecond clock: the
     * clock is polled until it has moved to a later millisecond, before and after the moment.
     */
    private static Instant pause()
    {
        Instant moment = nextMillisecond(Instant.now());
        nextMillisecond(moment);
        return moment;
    }

    private static Instant nextMillisecond(Instant after)
    {
        Instant deadline = after.plusSeconds(10);
        while (true) {
            Instant now = Instant.now();
            if (now.truncatedTo(ChronoUnit.MILLIS).isAfter(after.truncatedTo(ChronoUnit.MILLIS))) {
                return now;
            }
            assertThat(now).as("the clock moves on").isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    /**
     * A tiny valid model whose bytes differ with {@code seed}: {@code y = x * seed}.
     */
    protected static byte[] identityModel(int seed)
    {
        return new OnnxGraphBuilder("scale_" + seed)
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .floatInitializer("k", new float[] {seed}, 1)
                .node("Mul").inputs("x", "k").outputs("y").add()
                .build();
    }
}
