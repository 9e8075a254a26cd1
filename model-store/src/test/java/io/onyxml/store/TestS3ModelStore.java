package io.onyxml.store;

import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.blob.S3BlobStore;
import io.onyxml.store.cache.ModelFileCache;
import io.onyxml.store.testing.S3ProxyServer;
import io.onyxml.store.testing.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.onyxml.store.OnyxErrorCode.STORE_ACCESS_DENIED;
import static io.onyxml.store.OnyxErrorCode.STORE_UNAVAILABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS;

@TestInstance(PER_CLASS)
class TestS3ModelStore
        extends AbstractTestModelStore
{
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3ProxyServer server;
    private String bucket;

    @BeforeAll
    void startServer()
            throws Exception
    {
        server = new S3ProxyServer(Files.createTempDirectory("onyx-s3proxy-"));
    }

    @AfterAll
    void stopServer()
            throws Exception
    {
        server.close();
    }

    @Override
    protected void addIncompleteWrites()
    {
        // a writer that stopped while it claimed the next version number (stores without conditional writes)
        blobs.write("models/linear/versions/00000003.json.claim-0000", new byte[0]);
    }

    @Override
    protected int expectedIncompleteWrites()
    {
        return 1;
    }

    protected S3Options options()
    {
        return server.options();
    }

    @Override
    protected S3Options storeOptions()
    {
        return options();
    }

    @Override
    protected BlobStore createBlobStore()
    {
        bucket = "models-" + BUCKETS.incrementAndGet();
        server.createBucket(bucket);
        return BlobStores.open("s3://" + bucket + "/team/onyx", options());
    }

    @Override
    protected Optional<ModelFileCache> createCache()
    {
        return Optional.of(new ModelFileCache(temporary.resolve("cache"), 1 << 20));
    }

    @Test
    void probesWhetherTheStoreHonoursConditionalWrites()
    {
        S3Options.ConditionalWrites expected = options().conditionalWrites() == S3Options.ConditionalWrites.AUTO
                ? S3Options.ConditionalWrites.IF_NONE_MATCH
                : options().conditionalWrites();
        assertThat(((S3BlobStore) blobs).conditionalWrites()).isEqualTo(expected);
        store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        // neither probe objects nor claims are left behind
        assertThat(blobs.list("")).extracting(entry -> entry.key()).allMatch(key -> key.startsWith("models/linear/files/") || key.equals("models/linear/versions/00000001.json"));
    }

    @Test
    void servesRepeatedLoadsFromTheLocalCache()
            throws Exception
    {
        ModelManifest manifest = store.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS);
        assertThat(store.readModelBytes(manifest)).isEqualTo(TestModels.linearRegression());
        Path cached = temporary.resolve("cache").resolve(manifest.sha256() + ".onnx");
        assertThat(cached).exists();

        // the cache answers without the store: remove the remote file behind the store's back
        blobs.delete("models/linear/" + manifest.modelFile());
        assertThat(store.readModelBytes(manifest)).isEqualTo(TestModels.linearRegression());

        // a damaged cache entry is dropped and fetched again; with no remote file left that is an error, not bad bytes
        Files.write(cached, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.readModelBytes(manifest))
                .hasMessageContaining("The ONNX file of model linear/1 is missing from the model store");
    }

    @Test
    void registersFromAnS3Uri()
    {
        try (S3Client client = server.client()) {
            client.putObject(request -> request.bucket(bucket).key("incoming/trees.onnx"), RequestBody.fromBytes(TestModels.treeEnsemble()));
        }
        ModelManifest manifest = store.register("trees", ModelSource.parse("s3://" + bucket + "/incoming/trees.onnx"), RegisterOptions.DEFAULTS);
        assertThat(store.readModelBytes(manifest)).isEqualTo(TestModels.treeEnsemble());
        assertThatThrownBy(() -> store.register("trees", ModelSource.parse("s3://" + bucket + "/incoming/missing.onnx"), RegisterOptions.DEFAULTS))
                .hasMessage("Model file s3://" + bucket + "/incoming/missing.onnx does not exist");
    }

    @Test
    void registersFromS3OnlyWhereAllowedAndChecksTheSizeFirst()
    {
        try (S3Client client = server.client()) {
            client.putObject(request -> request.bucket(bucket).key("incoming/trees.onnx"), RequestBody.fromBytes(TestModels.treeEnsemble()));
            client.putObject(request -> request.bucket(bucket).key("private/trees.onnx"), RequestBody.fromBytes(TestModels.treeEnsemble()));
        }
        String setting = "onyx.register-model.allowed-locations";
        RegistrationPolicy policy = RegistrationPolicy.fromSettings("s3://" + bucket + "/incoming", setting, 100, "onyx.max-model-file-size");
        ModelStoreConfig config = ModelStoreConfig.of("s3://" + bucket + "/store", options()).withRegistrationPolicy(policy);
        try (ModelStore restricted = ModelStore.open(config)) {
            int size = TestModels.treeEnsemble().length;
            assertThatThrownBy(() -> restricted.register("trees", ModelSource.parse("s3://" + bucket + "/incoming/trees.onnx"), RegisterOptions.DEFAULTS))
                    .hasMessage("Model file s3://" + bucket + "/incoming/trees.onnx has " + size + " bytes, more than the 100 bytes a model may have (onyx.max-model-file-size)");
            for (String key : new String[] {"private/trees.onnx", "private/missing.onnx"}) {
                assertThatThrownBy(() -> restricted.register("trees", ModelSource.parse("s3://" + bucket + "/" + key), RegisterOptions.DEFAULTS))
                        .hasMessage("Model location 's3://" + bucket + "/" + key + "' is not in a location models may be registered from: s3://" + bucket + "/incoming (" + setting + ")");
            }
            assertThat(restricted.listModels()).isEmpty();
        }
    }

    @Test
    void refusesWrongCredentials()
    {
        S3Options wrong = options().withCredentials(S3ProxyServer.ACCESS_KEY, "not-the-secret");
        try (ModelStore denied = new ModelStore(BlobStores.open("s3://" + bucket, wrong), ModelStoreConfig.of("s3://" + bucket, wrong), Optional.empty(), Clock.systemUTC())) {
            assertThatThrownBy(denied::listModels)
                    .hasMessageStartingWith("Model store s3://" + bucket + " refused to list models/ (SignatureDoesNotMatch): check the S3 credentials and the bucket policy")
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(STORE_ACCESS_DENIED);
        }
    }

    @Test
    void reportsAMissingBucket()
    {
        try (ModelStore missing = ModelStore.open(ModelStoreConfig.of("s3://no-such-bucket/prefix", options()))) {
            assertThatThrownBy(() -> missing.register("linear", ModelSource.of(TestModels.linearRegression()), RegisterOptions.DEFAULTS))
                    .hasMessageStartingWith("Model store s3://no-such-bucket/prefix is not available: bucket 'no-such-bucket' does not exist at " + server.endpoint())
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(STORE_UNAVAILABLE);
        }
    }

    @Test
    void reportsAStoreThatCannotBeReached()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        S3Options unreachable = options().withEndpoint("http://127.0.0.1:" + closedPort);
        try (ModelStore store = ModelStore.open(ModelStoreConfig.of("s3://" + bucket, unreachable))) {
            assertThatThrownBy(() -> store.resolve("linear"))
                    .hasMessageStartingWith("Cannot reach model store s3://" + bucket + " at http://127.0.0.1:" + closedPort + " to list models/linear/versions/")
                    .satisfies(e -> assertThat(((OnyxException) e).isRetryable()).isTrue())
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(STORE_UNAVAILABLE);
        }
    }

    @Test
    void explainsMissingCredentials()
    {
        // the AWS default chain must find nothing, as on CI machines
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getenv("AWS_PROFILE") == null && !Files.exists(Path.of(System.getProperty("user.home"), ".aws")));
        S3Options noCredentials = new S3Options(options().endpoint(), options().region(), true, Optional.empty(), Optional.empty(), options().conditionalWrites());
        try (ModelStore store = ModelStore.open(ModelStoreConfig.of("s3://" + bucket, noCredentials))) {
            assertThatThrownBy(() -> store.resolve("linear"))
                    .hasMessageStartingWith("No S3 credentials found to list models/linear/versions/ in model store s3://" + bucket + ": configure an access key and secret key")
                    .extracting(e -> ((OnyxException) e).errorCode()).isEqualTo(STORE_ACCESS_DENIED);
        }
    }

    @Test
    void rejectsAnInvalidEndpoint()
    {
        assertThatThrownBy(() -> BlobStores.open("s3://bucket", options().withEndpoint("not a url")))
                .hasMessageStartingWith("S3 endpoint 'not a url' is not a URL such as http://127.0.0.1:9000");
        assertThatThrownBy(() -> BlobStores.open("s3:///prefix", options()))
                .hasMessageContaining("has no bucket");
    }
}
