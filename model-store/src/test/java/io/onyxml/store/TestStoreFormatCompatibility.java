package io.onyxml.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.onyxml.store.ElementType.FLOAT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store written by an earlier build reads back, and takes new versions, after an upgrade. The store in
 * {@code src/test/resources/store-format-1} was written by Onyx 0.1.0 ({@code bin/onyx register} and {@code alias},
 * manifest format 1) and is never rewritten: a build that can no longer read it breaks every deployed store. When the
 * format changes, add the new format's store next to it and keep this one.
 */
class TestStoreFormatCompatibility
{
    private static final String SHA256 = "c868f3337dd694ac52e28548ccad8e59d97415eb89faaa507ac22bdc7aac068e";
    private static final List<String> FEATURES = List.of("area_m2", "bedrooms", "age_years", "distance_km");

    @TempDir
    Path temporary;

    @Test
    void readsAStoreOfFormatOne()
            throws Exception
    {
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(copyOfFixture("store-format-1")))) {
            assertThat(store.listModels()).singleElement().satisfies(model -> {
                assertThat(model.name()).isEqualTo("house-prices");
                assertThat(model.latestVersion()).isEqualTo(2);
                assertThat(model.versionCount()).isEqualTo(2);
                // with the implicit alias latest
                assertThat(model.aliases()).isEqualTo(Map.of("latest", 2, "production", 1, "staging", 2));
            });

            ModelManifest first = store.manifest("house-prices", 1);
            assertThat(first.createdAt()).isEqualTo(Instant.parse("2026-12-06T10:03:54.659Z"));
            assertThat(first.sha256()).isEqualTo(SHA256);
            assertThat(first.sizeBytes()).isEqualTo(299);
            assertThat(first.task()).isEqualTo(ModelTask.REGRESSION);
            assertThat(first.featureNames()).isEqualTo(FEATURES);
            assertThat(first.description()).isEqualTo(Optional.of("house prices, registered by Onyx 0.1.0 (store format 1)"));
            assertThat(first.handlesMissingValues()).isFalse();
            assertThat(first.signature().inputs()).containsExactly(ValueSpec.tensor("features", FLOAT, -1, 4));
            assertThat(first.signature().outputs()).containsExactly(ValueSpec.tensor("price_k", FLOAT, -1, 1));
            assertThat(first.onnx().irVersion()).isEqualTo(8);
            // recorded since
            assertThat(first.registeredBy()).isEmpty();

            ModelManifest second = store.manifest("house-prices", 2);
            assertThat(second.task()).isEqualTo(ModelTask.OTHER);
            assertThat(second.description()).isEqualTo(Optional.of("the same file again, version 2"));

            assertThat(store.resolve("house-prices@production").version()).isEqualTo(1);
            assertThat(store.resolve("house-prices@staging").version()).isEqualTo(2);
            assertThat(store.resolve("house-prices").version()).isEqualTo(2);
            // the files are the bytes the manifests name
            for (ModelManifest manifest : List.of(first, second)) {
                byte[] bytes = store.readModelBytes(manifest);
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(SHA256);
            }
        }
    }

    @Test
    void addsVersionsAndMovesAliasesInAStoreOfFormatOne()
            throws Exception
    {
        Path root = copyOfFixture("store-format-1");
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(root))) {
            byte[] model = store.readModelBytes(store.manifest("house-prices", 1));
            ModelManifest third = store.register("house-prices", ModelSource.of(model), RegisterOptions.DEFAULTS.withRegisteredBy("bob"));
            assertThat(third.version()).isEqualTo(3);
            assertThat(store.manifest("house-prices", 3).registeredBy()).hasValue("bob");
            store.setAlias("house-prices", "production", 3);
            assertThat(store.resolve("house-prices@production").version()).isEqualTo(3);
            assertThat(store.resolve("house-prices@staging").version()).isEqualTo(2);
            assertThat(store.manifest("house-prices", 1).createdAt()).isEqualTo(Instant.parse("2026-12-06T10:03:54.659Z"));
        }
    }

    private Path copyOfFixture(String name)
            throws Exception
    {
        Path fixture = resource(name);
        Path copy = temporary.resolve(name);
        try (Stream<Path> paths = Files.walk(fixture)) {
            for (Path path : paths.toList()) {
                Path target = copy.resolve(fixture.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(path, target);
                }
            }
        }
        return copy;
    }

    private static Path resource(String name)
            throws URISyntaxException
    {
        return Path.of(TestStoreFormatCompatibility.class.getResource("/" + name).toURI());
    }
}
