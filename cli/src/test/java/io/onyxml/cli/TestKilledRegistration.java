package io.onyxml.cli;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.Checksums;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.ModelSummary;
import io.onyxml.store.ModelVersions;
import io.onyxml.store.OnyxErrorCode;
import io.onyxml.store.OnyxException;
import io.onyxml.store.OrphanFile;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.S3Options;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.testing.FaultyProxy;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static com.google.common.collect.MoreCollectors.onlyElement;
import static io.onyxml.cli.CliRun.run;
import static java.lang.String.format;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A registration whose process is killed (SIGKILL, not a thread stopped) after the model's ONNX file is in the store
 * and before the version's manifest is: readers never see the partial version, the next registration gets the number
 * the killed one would have had, live versions are untouched, and {@code bin/onyx remove-orphans} deletes the file it
 * left and no file a version needs. On S3 the process killed is {@code bin/onyx register} itself ({@link OnyxCli})
 * behind a proxy that stalls the manifest's PUT; in a local store, where nothing can be stalled from outside, it is
 * {@link RegistrationStalledBeforeItsManifest}, the same store code with the manifest write held back.
 */
class TestKilledRegistration
{
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final int SIGKILL_EXIT_STATUS = 128 + 9;
    private static final String BUCKET = "models";
    private static final String LOCATION = "s3://" + BUCKET + "/onyx";

    @TempDir
    Path temporary;

    private S3ProxyServer server;
    private FaultyProxy proxy;
    private Path linearFile;

    @BeforeEach
    void start()
            throws Exception
    {
        server = new S3ProxyServer(Files.createDirectories(temporary.resolve("s3")));
        server.createBucket(BUCKET);
        proxy = new FaultyProxy(server.endpoint());
        linearFile = Files.write(temporary.resolve("linear.onnx"), TestModels.linearRegression());
    }

    @AfterEach
    void stop()
            throws Exception
    {
        try (S3ProxyServer ignoredServer = server; FaultyProxy ignoredProxy = proxy) {
            // both closed
        }
    }

    @Test
    void aFirstRegistrationKilledBeforeItsManifestLeavesNoVersionOnS3()
            throws Exception
    {
        StoreUnderTest s3 = s3Store();
        ModelManifest houses;
        try (ModelStore store = s3.open()) {
            houses = store.register("houses", ModelSource.of(ExampleModels.housePrices()), RegisterOptions.DEFAULTS);
        }

        String orphan = killS3RegistrationBeforeItsManifest("linear", 1);

        try (ModelStore store = s3.open()) {
            assertThatThrownBy(() -> store.resolve("linear"))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.MODEL_NOT_FOUND))
                    .hasMessage("Model 'linear' does not exist");
            assertThatThrownBy(() -> store.listVersions("linear")).hasMessage("Model 'linear' does not exist");
            assertThat(store.listModels()).extracting(ModelSummary::name).containsExactly("houses");
            assertThat(store.listVersions("houses")).extracting(ModelManifest::version, ModelManifest::sha256).containsExactly(versionAndChecksum(houses));
        }
        cleanUpAfterTheKill(s3, "linear", orphan, 1, ImmutableMap.of("houses", List.of(1), "linear", List.of(1)));
    }

    @Test
    void aRegistrationKilledBeforeVersionThreeLeavesVersionsOneAndTwoOnS3()
            throws Exception
    {
        StoreUnderTest s3 = s3Store();
        List<ModelManifest> live = registerTwoVersions(s3);

        String orphan = killS3RegistrationBeforeItsManifest("linear", 3);

        assertVersionsOneAndTwoAlone(s3, live);
        cleanUpAfterTheKill(s3, "linear", orphan, 3, ImmutableMap.of("linear", List.of(1, 2, 3)));
    }

    @Test
    void aRegistrationKilledBeforeVersionThreeLeavesVersionsOneAndTwoInALocalStore()
            throws Exception
    {
        Path directory = temporary.resolve("local");
        StoreUnderTest local = new StoreUnderTest(directory.toString(), S3Options.DEFAULTS, ImmutableList.of("--store", directory.toString()), directory);
        List<ModelManifest> live = registerTwoVersions(local);

        Child registration = startJvm("local-registration", RegistrationStalledBeforeItsManifest.class, List.of(directory.toString(), "linear", linearFile.toString()));
        String stalled = RegistrationStalledBeforeItsManifest.STALLED + "models/linear/versions/00000003.json";
        awaitThenKill(registration, "the local registration has its file in place and is about to write manifest 3", () -> registration.output().contains(stalled));
        String orphan = newFile(local, "linear", live);

        assertVersionsOneAndTwoAlone(local, live);
        cleanUpAfterTheKill(local, "linear", orphan, 3, ImmutableMap.of("linear", List.of(1, 2, 3)));
    }

    private List<ModelManifest> registerTwoVersions(StoreUnderTest where)
    {
        try (ModelStore store = where.open()) {
            return ImmutableList.of(
                    store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS),
                    store.register("linear", ModelSource.of(TestModels.doubleLinear()), RegisterOptions.DEFAULTS));
        }
    }

    private void assertVersionsOneAndTwoAlone(StoreUnderTest where, List<ModelManifest> live)
    {
        try (ModelStore store = where.open()) {
            assertThat(store.listVersions("linear")).extracting(ModelManifest::version, ModelManifest::sha256)
                    .containsExactly(versionAndChecksum(live.get(0)), versionAndChecksum(live.get(1)));
            assertThat(store.resolve("linear").version()).isEqualTo(2);
            assertThat(store.aliases("linear")).isEqualTo(ImmutableMap.of("latest", 2));
            assertThatThrownBy(() -> store.resolve("linear/3"))
                    .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.MODEL_VERSION_NOT_FOUND))
                    .hasMessage("Model 'linear' has no version 3; existing versions: 1, 2");
        }
    }

    /**
     * Runs {@code bin/onyx register} in a JVM of its own against the S3 server behind the proxy, which stalls the PUT of
     * the version's manifest; kills the process once its ONNX file is in the bucket and the PUT has begun. Returns the
     * key of the file it left.
     */
    private String killS3RegistrationBeforeItsManifest(String model, int version)
            throws Exception
    {
        List<ModelManifest> before;
        try (ModelStore store = s3Store().open()) {
            before = store.listModels().stream().anyMatch(summary -> summary.name().equals(model)) ? store.listVersions(model) : List.of();
        }
        proxy.stallWhenRequested(format("/%s/onyx/models/%s/versions/%08d.json", BUCKET, model, version));
        StoreUnderTest throughProxy = s3Store(proxy.endpoint());
        Child registration = startJvm("s3-registration", OnyxCli.class, ImmutableList.<String>builder()
                .addAll(throughProxy.cliOptions())
                .add("register", model, linearFile.toString())
                .build());
        awaitThenKill(registration, format("the ONNX file of %s is in the bucket and the PUT of manifest %s stalls", model, version),
                () -> proxy.stalled() && newFiles(s3Store(), model, before).size() == 1);
        return newFile(s3Store(), model, before);
    }

    /**
     * After the kill, with fresh stores and the command line: the file left is an orphan, too young to be removed; the
     * next registration gets the number the killed one would have had; once the files are old enough,
     * {@code remove-orphans} deletes the orphan alone and every live version still loads with its checksum.
     */
    private void cleanUpAfterTheKill(StoreUnderTest where, String model, String orphan, int nextVersion, Map<String, List<Integer>> liveAfter)
            throws IOException
    {
        try (ModelStore store = where.open()) {
            assertThat(store.orphanFiles(Instant.now().plus(Duration.ofHours(1))))
                    .extracting(OrphanFile::model, OrphanFile::key, OrphanFile::sizeBytes, OrphanFile::reason)
                    .containsExactly(tuple(model, orphan, (long) TestModels.linearRegression().length, "no version names it"));
        }
        assertThat(cli(where, "orphans", "--older-than", "0s").out()).contains(orphan, "1 files");
        // a file this young may belong to a registration still running: the cleanup keeps it
        assertThat(cli(where, "remove-orphans").out()).isEqualTo("removed 0 files, 0 bytes, older than 1d\n");

        assertThat(cli(where, "register", model, linearFile.toString()).out()).contains(format("registered %s/%s", model, nextVersion));

        // two days later (every file of the store, the live ones too: their manifests, not their age, keep them)
        ageEveryFile(where.storage(), Duration.ofDays(2));
        CliRun listed = cli(where, "orphans");
        assertThat(listed.out().lines().filter(line -> line.contains("/files/"))).singleElement().asString().contains(orphan, "no version names it");
        CliRun removed = cli(where, "remove-orphans");
        List<String> lines = removed.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith(format("removed %s (%s bytes, last changed ", orphan, TestModels.linearRegression().length))
                .endsWith("): no version names it");
        assertThat(lines.get(1)).isEqualTo(format("removed 1 files, %s bytes, older than 1d", TestModels.linearRegression().length));

        try (ModelStore store = where.open()) {
            assertThat(store.orphanFiles(Instant.now().plus(Duration.ofHours(1)))).isEmpty();
            List<ModelVersions> models = store.listModelVersions(Optional.empty());
            assertThat(models.stream().collect(toImmutableMap(ModelVersions::name, versions -> versions.versions().stream().map(ModelManifest::version).toList())))
                    .isEqualTo(liveAfter);
            ImmutableList.Builder<String> needed = ImmutableList.builder();
            for (ModelVersions versions : models) {
                for (ModelManifest manifest : versions.versions()) {
                    // read from the store, not a cache, and checked against the manifest's sha256
                    assertThat(Checksums.sha256(store.readModelBytes(manifest))).as(manifest.reference().toString()).isEqualTo(manifest.sha256());
                    needed.add("models/" + manifest.name() + "/" + manifest.modelFile());
                }
            }
            try (BlobStore blobs = where.blobs()) {
                assertThat(blobs.list("models/").stream().map(BlobEntry::key).filter(key -> key.contains("/files/")))
                        .containsExactlyInAnyOrderElementsOf(needed.build());
            }
        }
    }

    private static void awaitThenKill(Child child, String what, BooleanSupplier killPoint)
            throws Exception
    {
        Process process = child.process();
        try {
            Instant deadline = Instant.now().plus(PATIENCE);
            while (!killPoint.getAsBoolean()) {
                if (!process.isAlive()) {
                    throw new AssertionError(format("The process ended with status %s before %s; its output:%n%s", process.exitValue(), what, child.output()));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError(format("Waited %s s until %s, in vain; the process's output:%n%s", PATIENCE.toSeconds(), what, child.output()));
                }
                Thread.sleep(50);
            }
            assertThat(process.isAlive()).as("still registering when killed").isTrue();
            process.destroyForcibly();
            assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT_STATUS);
        }
        finally {
            process.destroyForcibly();
        }
    }

    private Child startJvm(String name, Class<?> main, List<String> arguments)
            throws IOException
    {
        Path directory = Files.createDirectories(temporary.resolve(name));
        List<String> command = ImmutableList.<String>builder()
                .add(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                // as bin/onyx runs the command line
                .add("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                .add("-Xmx256m", "-Djava.io.tmpdir=" + directory)
                .add("-cp", System.getProperty("java.class.path"))
                .add(main.getName())
                .addAll(arguments)
                .build();
        Path output = directory.resolve("output.txt");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new Child(process, output);
    }

    /**
     * The key of the one model file that no version listed before names.
     */
    private static String newFile(StoreUnderTest where, String model, List<ModelManifest> before)
    {
        return newFiles(where, model, before).stream().collect(onlyElement());
    }

    private static List<String> newFiles(StoreUnderTest where, String model, List<ModelManifest> before)
    {
        List<String> known = before.stream().map(manifest -> "models/" + model + "/" + manifest.modelFile()).toList();
        try (BlobStore blobs = where.blobs()) {
            return blobs.list("models/" + model + "/files/").stream()
                    .map(BlobEntry::key)
                    .filter(key -> !known.contains(key))
                    .collect(toImmutableList());
        }
    }

    private static void ageEveryFile(Path directory, Duration age)
            throws IOException
    {
        FileTime then = FileTime.from(Instant.now().minus(age));
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(file, then);
            }
        }
    }

    private static CliRun cli(StoreUnderTest where, String... command)
    {
        CliRun result = run(Stream.concat(where.cliOptions().stream(), Stream.of(command)).toArray(String[]::new));
        assertThat(result.status()).as("onyx %s: %s", String.join(" ", command), result.err()).isZero();
        return result;
    }

    private StoreUnderTest s3Store()
    {
        return s3Store(server.endpoint());
    }

    private StoreUnderTest s3Store(String endpoint)
    {
        return new StoreUnderTest(
                LOCATION,
                server.options().withEndpoint(endpoint),
                ImmutableList.of(
                        "--store", LOCATION,
                        "--s3-endpoint", endpoint,
                        "--s3-region", "us-east-1",
                        "--s3-path-style",
                        "--s3-access-key", S3ProxyServer.ACCESS_KEY,
                        "--s3-secret-key", S3ProxyServer.SECRET_KEY),
                temporary.resolve("s3"));
    }

    private static Tuple versionAndChecksum(ModelManifest manifest)
    {
        return tuple(manifest.version(), manifest.sha256());
    }

    /**
     * A JVM of its own, and the file that takes what it prints.
     */
    private record Child(Process process, Path outputFile)
    {
        String output()
        {
            try {
                return Files.readString(outputFile);
            }
            catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    /**
     * A store as the tests reach it: by the store API, by the command line, and as the files that hold its objects.
     */
    private record StoreUnderTest(String location, S3Options s3, List<String> cliOptions, Path storage)
    {
        /**
         * A fresh store whose cache (of a remote store) is empty, so that every model file is read from the store.
         */
        ModelStore open()
        {
            try {
                return ModelStore.open(ModelStoreConfig.of(location, s3).withCache(Files.createTempDirectory(storage.getParent(), "cache-"), 1 << 24));
            }
            catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        BlobStore blobs()
        {
            return BlobStores.open(location, s3);
        }
    }
}
