package io.onyxml.store.blob;

import io.onyxml.store.ContentionBackoff;
import io.onyxml.store.OnyxException;
import io.onyxml.store.S3Options;
import io.onyxml.store.S3Options.ConditionalWrites;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.CONCURRENT_MODIFICATION;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.STORE_ACCESS_DENIED;
import static io.onyxml.store.OnyxErrorCode.STORE_ERROR;
import static io.onyxml.store.OnyxErrorCode.STORE_UNAVAILABLE;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * A store in a bucket of an S3-compatible object store, under a key prefix. Writes are single {@code PUT}s (so readers
 * see whole objects); {@link #createIfAbsent} uses {@code If-None-Match: *} or, on stores that ignore it, claims
 * (see {@link ConditionalWrites}).
 */
public final class S3BlobStore
        implements BlobStore
{
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_FORBIDDEN = 403;
    private static final int HTTP_CONFLICT = 409;
    private static final int HTTP_PRECONDITION_FAILED = 412;
    private static final int HTTP_RANGE_NOT_SATISFIABLE = 416;
    private static final int HTTP_NOT_IMPLEMENTED = 501;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FILE_TRANSFER_TIMEOUT = Duration.ofHours(1);
    private static final Duration STALE_CLAIM = Duration.ofMinutes(5);
    private static final Duration CLAIM_PATIENCE = Duration.ofSeconds(60);
    private static final String CLAIM_INFIX = ".claim-";
    private static final String PROBE_PREFIX = "_onyx/conditional-write-probe/";

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final S3Options options;
    private volatile ConditionalWrites conditionalWrites;

    S3BlobStore(S3Client client, String bucket, String prefix, S3Options options)
    {
        this.client = requireNonNull(client, "client is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.options = requireNonNull(options, "options is null");
        this.conditionalWrites = options.conditionalWrites();
    }

    public static S3BlobStore create(URI location, S3Options options)
    {
        String bucket = location.getHost();
        if (bucket == null || bucket.isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model store location '%s' has no bucket: use s3://bucket/prefix", location));
        }
        String path = location.getPath() == null ? "" : location.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        return new S3BlobStore(newClient(options), bucket, path.isEmpty() ? "" : path + "/", options);
    }

    private static S3Client newClient(S3Options options)
    {
        Duration timeout = options.requestTimeout();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(timeout.compareTo(CONNECTION_TIMEOUT) < 0 ? timeout : CONNECTION_TIMEOUT)
                        // a transfer that goes this long without a byte fails, whatever its size
                        .socketTimeout(timeout))
                // a request, its retries included (the SDK's standard strategy: 3 attempts with back-off), ends in time
                .overrideConfiguration(override -> override.apiCallTimeout(timeout))
                .region(region(options))
                .forcePathStyle(options.pathStyleAccess())
                .credentialsProvider(credentials(options))
                // many S3-compatible servers do not understand the newer default checksum headers
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        options.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpointUri(endpoint)));
        return builder.build();
    }

    private static URI endpointUri(String endpoint)
    {
        try {
            URI uri = URI.create(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        }
        catch (IllegalArgumentException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("S3 endpoint '%s' is not a URL such as http://127.0.0.1:9000: %s", endpoint, e.getMessage()), e);
        }
    }

    private static Region region(S3Options options)
    {
        if (options.region().isPresent()) {
            return Region.of(options.region().get());
        }
        if (options.endpoint().isPresent()) {
            return Region.US_EAST_1;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        }
        catch (SdkClientException e) {
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(S3Options options)
    {
        if (options.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKey().get(), options.secretKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public Optional<byte[]> read(String key)
    {
        return call("read", key, () -> {
            try {
                return Optional.of(client.getObjectAsBytes(request -> request.bucket(bucket).key(prefix + key)).asByteArray());
            }
            catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<BlobEntry> stat(String key)
    {
        return call("read", key, () -> {
            try {
                HeadObjectResponse head = client.headObject(request -> request.bucket(bucket).key(prefix + key));
                return Optional.of(new BlobEntry(key, head.contentLength(), head.lastModified()));
            }
            catch (NoSuchKeyException e) {
                return Optional.empty();
            }
            catch (S3Exception e) {
                if (e.statusCode() == HTTP_NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public boolean download(String key, Path target)
    {
        return call("download", key, () -> {
            try {
                Files.deleteIfExists(target);
                client.getObject(request -> request.bucket(bucket).key(prefix + key).overrideConfiguration(S3BlobStore::fileTransfer), ResponseTransformer.toFile(target));
                return true;
            }
            catch (NoSuchKeyException e) {
                return false;
            }
            catch (IOException e) {
                throw new OnyxException(STORE_ERROR, format("Cannot write the local copy of %s: %s", describe(key), e.getClass().getSimpleName()), e);
            }
        });
    }

    @Override
    public boolean download(String key, Path target, long maxBytes)
    {
        return call("download", key, () -> {
            try {
                Files.deleteIfExists(target);
                client.getObject(request -> request.bucket(bucket).key(prefix + key).range("bytes=0-" + (maxBytes - 1)).overrideConfiguration(S3BlobStore::fileTransfer), ResponseTransformer.toFile(target));
                return true;
            }
            catch (NoSuchKeyException e) {
                return false;
            }
            catch (S3Exception e) {
                // an empty object has no byte 0
                if (e.statusCode() == HTTP_RANGE_NOT_SATISFIABLE) {
                    return download(key, target);
                }
                throw e;
            }
            catch (IOException e) {
                throw new OnyxException(STORE_ERROR, format("Cannot write the local copy of %s: %s", describe(key), e.getClass().getSimpleName()), e);
            }
        });
    }

    @Override
    public void write(String key, byte[] data)
    {
        call("write", key, () -> client.putObject(request -> request.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data)));
    }

    @Override
    public void upload(String key, Path file)
    {
        call("write", key, () -> client.putObject(request -> request.bucket(bucket).key(prefix + key).overrideConfiguration(S3BlobStore::fileTransfer), RequestBody.fromFile(file)));
    }

    /**
     * How this store creates objects only when their key is free; {@code AUTO} is resolved by a probe on first use.
     */
    public ConditionalWrites conditionalWrites()
    {
        if (conditionalWrites == ConditionalWrites.AUTO) {
            conditionalWrites = probeConditionalWrites();
        }
        return conditionalWrites;
    }

    @Override
    public boolean createIfAbsent(String key, byte[] data)
    {
        ConditionalWrites conditionalWrites = conditionalWrites();
        if (conditionalWrites == ConditionalWrites.LIST_CLAIMS) {
            return createWithClaim(key, data);
        }
        return call("create", key, () -> putIfNoneMatch(prefix + key, data));
    }

    private boolean putIfNoneMatch(String fullKey, byte[] data)
    {
        PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(fullKey).ifNoneMatch("*").build();
        for (int attempt = 0; ; attempt++) {
            try {
                client.putObject(request, RequestBody.fromBytes(data));
                return true;
            }
            catch (S3Exception e) {
                if (e.statusCode() == HTTP_PRECONDITION_FAILED) {
                    return false;
                }
                // 409 ConditionalRequestConflict: a concurrent conditional write to the same key is in flight
                if (e.statusCode() == HTTP_CONFLICT && attempt < 3) {
                    continue;
                }
                if (e.statusCode() == HTTP_CONFLICT) {
                    return false;
                }
                throw e;
            }
        }
    }

    /**
     * Whether the store honours {@code If-None-Match: *}: a second conditional {@code PUT} of the same key must fail.
     */
    private ConditionalWrites probeConditionalWrites()
    {
        String probe = prefix + PROBE_PREFIX + UUID.randomUUID();
        return call("probe conditional writes at", PROBE_PREFIX, () -> {
            try {
                putIfNoneMatch(probe, new byte[0]);
                return putIfNoneMatch(probe, new byte[0]) ? ConditionalWrites.LIST_CLAIMS : ConditionalWrites.IF_NONE_MATCH;
            }
            catch (S3Exception e) {
                if (e.statusCode() == HTTP_NOT_IMPLEMENTED || e.statusCode() == 400) {
                    return ConditionalWrites.LIST_CLAIMS;
                }
                throw e;
            }
            finally {
                client.deleteObject(request -> request.bucket(bucket).key(probe));
            }
        });
    }

    /**
     * Create-if-absent without conditional writes: put a claim, list all claims for the key, and write only if ours
     * is the only live one and the key is still free. Two writers can both back off, never both win, provided the
     * store lists what was written before (strong read-after-write consistency, as AWS S3 has since 2020). Writers
     * that collide wait a random, growing time and try again.
     */
    private boolean createWithClaim(String key, byte[] data)
    {
        return call("create", key, () -> {
            ContentionBackoff backoff = new ContentionBackoff(Duration.ofMillis(10), Duration.ofMillis(500), CLAIM_PATIENCE);
            do {
                if (exists(prefix + key)) {
                    return false;
                }
                if (tryClaimAndWrite(key, data)) {
                    return true;
                }
            }
            while (backoff.pauseAfterLoss());
            throw new OnyxException(CONCURRENT_MODIFICATION, format("Model store %s: other writers kept claiming %s for %s seconds; try again", location(), key, CLAIM_PATIENCE.toSeconds()), null, true);
        });
    }

    private boolean tryClaimAndWrite(String key, byte[] data)
    {
        String claimPrefix = prefix + key + CLAIM_INFIX;
        String claim = claimPrefix + UUID.randomUUID();
        client.putObject(request -> request.bucket(bucket).key(claim), RequestBody.empty());
        try {
            List<S3Object> claims = client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(claimPrefix)).contents().stream().toList();
            Instant ours = claims.stream().filter(object -> object.key().equals(claim)).map(S3Object::lastModified).findFirst().orElse(Instant.now());
            boolean contended = claims.stream()
                    .anyMatch(object -> !object.key().equals(claim) && object.lastModified().isAfter(ours.minus(STALE_CLAIM)));
            if (contended || exists(prefix + key)) {
                return false;
            }
            client.putObject(request -> request.bucket(bucket).key(prefix + key), RequestBody.fromBytes(data));
            return true;
        }
        finally {
            client.deleteObject(request -> request.bucket(bucket).key(claim));
        }
    }

    private boolean exists(String fullKey)
    {
        try {
            client.headObject(request -> request.bucket(bucket).key(fullKey));
            return true;
        }
        catch (NoSuchKeyException e) {
            return false;
        }
        catch (S3Exception e) {
            if (e.statusCode() == HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<BlobEntry> list(String keyPrefix)
    {
        return call("list", keyPrefix, () -> client.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + keyPrefix))
                .contents()
                .stream()
                .map(object -> new BlobEntry(object.key().substring(prefix.length()), object.size(), object.lastModified()))
                .collect(toImmutableList()));
    }

    @Override
    public List<String> listFolders(String keyPrefix)
    {
        ListObjectsV2Request listRequest = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + keyPrefix).delimiter("/").build();
        return call("list", keyPrefix, () -> client.listObjectsV2Paginator(listRequest)
                .commonPrefixes()
                .stream()
                .map(CommonPrefix::prefix)
                .map(folder -> folder.substring(prefix.length() + keyPrefix.length()).replaceAll("/$", ""))
                .collect(toImmutableList()));
    }

    @Override
    public void delete(String key)
    {
        call("delete", key, () -> client.deleteObject(request -> request.bucket(bucket).key(prefix + key)));
    }

    @Override
    public Optional<Path> localFile(String key)
    {
        return Optional.empty();
    }

    @Override
    public String location()
    {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix.substring(0, prefix.length() - 1));
    }

    @Override
    public void close()
    {
        client.close();
    }

    private String describe(String key)
    {
        return "s3://" + bucket + "/" + prefix + key;
    }

    private <T> T call(String operation, String key, Supplier<T> action)
    {
        try {
            return action.get();
        }
        catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                throw new OnyxException(STORE_UNAVAILABLE, format("Model store %s is not available: bucket '%s' does not exist%s", location(), bucket, endpointText()), e);
            }
            if (e.statusCode() == HTTP_FORBIDDEN || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code) || "AccessDenied".equals(code)) {
                throw new OnyxException(STORE_ACCESS_DENIED, format(
                        "Model store %s refused to %s %s (%s): check the S3 credentials and the bucket policy%s",
                        location(),
                        operation,
                        key,
                        code == null ? "HTTP " + e.statusCode() : code,
                        endpointText()), e);
            }
            throw new OnyxException(STORE_ERROR, format("Model store %s failed to %s %s: %s", location(), operation, key, e.getMessage()), e);
        }
        catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            throw new OnyxException(STORE_UNAVAILABLE, format(
                    "Model store %s%s did not answer in time to %s %s (the S3 request timeout is %ss); try again later",
                    location(),
                    endpointText(),
                    operation,
                    key,
                    options.requestTimeout().toMillis() / 1000.0), e, true);
        }
        catch (SdkClientException e) {
            if (String.valueOf(e.getMessage()).startsWith("Unable to load credentials")) {
                throw new OnyxException(STORE_ACCESS_DENIED, format(
                        "No S3 credentials found to %s %s in model store %s: configure an access key and secret key, or provide AWS credentials to the process (environment, profile or instance role)",
                        operation,
                        key,
                        location()), e);
            }
            throw new OnyxException(STORE_UNAVAILABLE, format("Cannot reach model store %s%s to %s %s: %s", location(), endpointText(), operation, key, e.getMessage()), e, true);
        }
        catch (SdkException e) {
            throw new OnyxException(STORE_ERROR, format("Model store %s failed to %s %s: %s", location(), operation, key, e.getMessage()), e);
        }
    }

    /**
     * A model file may take long to move: it is bound by the socket timeout (no byte for that long), not by the
     * request timeout.
     */
    private static void fileTransfer(AwsRequestOverrideConfiguration.Builder override)
    {
        override.apiCallTimeout(FILE_TRANSFER_TIMEOUT).apiCallAttemptTimeout(FILE_TRANSFER_TIMEOUT);
    }

    private String endpointText()
    {
        return options.endpoint().map(endpoint -> " at " + endpoint).orElse("");
    }
}
