package io.onyxml.store;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How to reach an S3-compatible store. Everything is optional: without an endpoint the client talks to AWS; without
 * keys it uses the AWS default credential chain (environment, system properties, profile, container or instance
 * role); without a region it uses the default region chain, or {@code us-east-1} when an endpoint is set.
 *
 * @param pathStyleAccess address buckets as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key};
 * most S3-compatible servers (MinIO, Ceph, s3proxy) want this
 * @param conditionalWrites how to create a manifest only when its key is free, see {@link ConditionalWrites}
 * @param requestTimeout how long one request may take, retries included, and how long a transfer may go without a
 * byte before it fails; model files, which may be large, are bound by the second only
 */
public record S3Options(
        Optional<String> endpoint,
        Optional<String> region,
        boolean pathStyleAccess,
        Optional<String> accessKey,
        Optional<String> secretKey,
        ConditionalWrites conditionalWrites,
        Duration requestTimeout)
{
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public static final S3Options DEFAULTS = new S3Options(Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), ConditionalWrites.AUTO);

    public S3Options(Optional<String> endpoint, Optional<String> region, boolean pathStyleAccess, Optional<String> accessKey, Optional<String> secretKey, ConditionalWrites conditionalWrites)
    {
        this(endpoint, region, pathStyleAccess, accessKey, secretKey, conditionalWrites, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * How the store creates an object only when its key is free, the one atomic step that numbers versions.
     */
    public enum ConditionalWrites
    {
        /**
         * Check once per store whether it honours {@code If-None-Match: *}; if it does use it, else use claims.
         */
        AUTO,
        /**
         * {@code PUT} with {@code If-None-Match: *} (AWS S3 since 2024, MinIO, Ceph RGW, recent s3proxy).
         */
        IF_NONE_MATCH,
        /**
         * For stores that ignore {@code If-None-Match}: a writer puts a claim object next to the key, lists the claims
         * and proceeds only if its claim is the only one; needs strongly consistent listing.
         */
        LIST_CLAIMS,
    }

    public S3Options
    {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(accessKey, "accessKey is null");
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(conditionalWrites, "conditionalWrites is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, "The S3 request timeout must be positive, got " + requestTimeout);
        }
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, "S3 access key and secret key must be given together");
        }
    }

    public S3Options withEndpoint(String endpoint)
    {
        return new S3Options(Optional.of(endpoint), region, pathStyleAccess, accessKey, secretKey, conditionalWrites, requestTimeout);
    }

    public S3Options withRegion(String region)
    {
        return new S3Options(endpoint, Optional.of(region), pathStyleAccess, accessKey, secretKey, conditionalWrites, requestTimeout);
    }

    public S3Options withPathStyleAccess(boolean pathStyleAccess)
    {
        return new S3Options(endpoint, region, pathStyleAccess, accessKey, secretKey, conditionalWrites, requestTimeout);
    }

    public S3Options withCredentials(String accessKey, String secretKey)
    {
        return new S3Options(endpoint, region, pathStyleAccess, Optional.of(accessKey), Optional.of(secretKey), conditionalWrites, requestTimeout);
    }

    public S3Options withRequestTimeout(Duration requestTimeout)
    {
        return new S3Options(endpoint, region, pathStyleAccess, accessKey, secretKey, conditionalWrites, requestTimeout);
    }

    public S3Options withConditionalWrites(ConditionalWrites conditionalWrites)
    {
        return new S3Options(endpoint, region, pathStyleAccess, accessKey, secretKey, conditionalWrites, requestTimeout);
    }

    @Override
    public String toString()
    {
        // never print the secret
        return "S3Options{endpoint=" + endpoint.orElse("AWS") + ", region=" + region.orElse("default") + ", pathStyleAccess=" + pathStyleAccess
                + ", credentials=" + (accessKey.isPresent() ? "static" : "default chain") + ", conditionalWrites=" + conditionalWrites + "}";
    }
}
