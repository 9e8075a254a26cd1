package io.onyxml.store;

import io.onyxml.store.testing.FaultyProxy;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real S3-protocol server behind a proxy that injects network faults: answers of HTTP 503, a server that stalls,
 * a server that stops answering in the middle of a registration. The store retries what is worth retrying, fails
 * within its request timeout with a clear error, and is intact afterwards.
 */
class TestS3Faults
{
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path temporary;

    private S3ProxyServer server;
    private FaultyProxy proxy;
    private ModelStore store;

    @BeforeEach
    void start()
            throws Exception
    {
        server = new S3ProxyServer(Files.createDirectories(temporary.resolve("s3")));
        server.createBucket("models");
        proxy = new FaultyProxy(server.endpoint());
        store = ModelStore.open(ModelStoreConfig.of("s3://models/onyx", server.options().withEndpoint(proxy.endpoint()).withRequestTimeout(TIMEOUT)));
    }

    @AfterEach
    void stop()
            throws Exception
    {
        try (S3ProxyServer ignoredServer = server; FaultyProxy ignoredProxy = proxy; ModelStore ignoredStore = store) {
            // all closed
        }
    }

    @Test
    void retriesAnswersOfServiceUnavailable()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        proxy.answerUnavailable(2);
        assertThat(store.resolve("linear").version()).isEqualTo(1);
    }

    @Test
    void aStalledStoreFailsWithinTheTimeout()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        proxy.stall();
        Instant start = Instant.now();
        assertThatThrownBy(() -> store.resolve("linear"))
                .isInstanceOfSatisfying(OnyxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.isRetryable()).isTrue();
                })
                .hasMessageStartingWith("Model store s3://models/onyx at " + proxy.endpoint() + " did not answer in time to ")
                .hasMessageEndingWith("(the S3 request timeout is 2.0s); try again later");
        // the request timeout bounds the call, its retries included (slack for a loaded machine)
        assertThat(Duration.between(start, Instant.now())).isLessThan(TIMEOUT.multipliedBy(5));

        proxy.pass();
        assertThat(store.resolve("linear").version()).isEqualTo(1);
    }

    @Test
    void aSlowedStoreStillAnswersWithinTheTimeout()
    {
        proxy.slowAnswers(Duration.ofMillis(100));
        Instant start = Instant.now();
        // a registration and a query's reads, each answer slowed
        assertThat(store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
        ModelManifest manifest = store.resolve("linear");
        assertThat(store.readModelBytes(manifest)).isEqualTo(TestModels.linearRegression());
        assertThat(Duration.between(start, Instant.now())).isGreaterThan(Duration.ofMillis(500));
    }

    @Test
    void aStoreSlowerThanTheTimeoutFailsWithinIt()
    {
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        proxy.slowAnswers(TIMEOUT.multipliedBy(3));
        Instant start = Instant.now();
        assertThatThrownBy(() -> store.resolve("linear"))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.STORE_UNAVAILABLE))
                .hasMessageEndingWith("(the S3 request timeout is 2.0s); try again later");
        assertThat(Duration.between(start, Instant.now())).isLessThan(TIMEOUT.multipliedBy(3));

        proxy.pass();
        assertThat(store.readModelBytes(store.resolve("linear"))).isEqualTo(TestModels.linearRegression());
    }

    @Test
    void aRegistrationCutOffBeforeItsManifestLeavesNoVersion()
    {
        proxy.stallWhenRequested("/versions/00000001.json");
        assertThatThrownBy(() -> store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(OnyxErrorCode.STORE_UNAVAILABLE));

        proxy.pass();
        // readers see no version; the file uploaded before the manifest is an orphan, and the next registration is 1
        assertThat(store.listModels()).isEmpty();
        assertThat(store.orphanFiles(Instant.now().plus(Duration.ofHours(2))))
                .extracting(OrphanFile::reason)
                .contains("no version names it");
        assertThat(store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS).version()).isEqualTo(1);
        assertThat(store.resolve("linear").version()).isEqualTo(1);
    }
}
