package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.configuration.ConfigSecuritySensitive;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import io.onyxml.store.S3Options;
import io.onyxml.store.S3Options.ConditionalWrites;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

import static java.util.concurrent.TimeUnit.SECONDS;

/**
 * How a catalog reaches an S3 model store, and the S3 locations models are registered from.
 */
public class OnyxS3Config
{
    private String endpoint;
    private String region;
    private boolean pathStyleAccess;
    private String awsAccessKey;
    private String awsSecretKey;
    private ConditionalWrites conditionalWrites = ConditionalWrites.AUTO;
    private Duration requestTimeout = new Duration(30, SECONDS);

    public Optional<String> getEndpoint()
    {
        return Optional.ofNullable(endpoint);
    }

    @Config("onyx.s3.endpoint")
    @ConfigDescription("An S3-compatible endpoint, e.g. http://minio:9000; AWS when not set")
    public OnyxS3Config setEndpoint(String endpoint)
    {
        this.endpoint = endpoint;
        return this;
    }

    public Optional<String> getRegion()
    {
        return Optional.ofNullable(region);
    }

    @Config("onyx.s3.region")
    @ConfigDescription("The S3 region; with an endpoint and no region, us-east-1")
    public OnyxS3Config setRegion(String region)
    {
        this.region = region;
        return this;
    }

    public boolean isPathStyleAccess()
    {
        return pathStyleAccess;
    }

    @Config("onyx.s3.path-style-access")
    @ConfigDescription("Address buckets as endpoint/bucket (most S3-compatible servers want this)")
    public OnyxS3Config setPathStyleAccess(boolean pathStyleAccess)
    {
        this.pathStyleAccess = pathStyleAccess;
        return this;
    }

    public Optional<String> getAwsAccessKey()
    {
        return Optional.ofNullable(awsAccessKey);
    }

    @Config("onyx.s3.aws-access-key")
    @ConfigDescription("Access key of static S3 credentials; without it, the AWS default credential chain")
    @ConfigSecuritySensitive
    public OnyxS3Config setAwsAccessKey(String awsAccessKey)
    {
        this.awsAccessKey = awsAccessKey;
        return this;
    }

    public Optional<String> getAwsSecretKey()
    {
        return Optional.ofNullable(awsSecretKey);
    }

    @Config("onyx.s3.aws-secret-key")
    @ConfigDescription("Secret key of static S3 credentials")
    @ConfigSecuritySensitive
    public OnyxS3Config setAwsSecretKey(String awsSecretKey)
    {
        this.awsSecretKey = awsSecretKey;
        return this;
    }

    @NotNull
    public ConditionalWrites getConditionalWrites()
    {
        return conditionalWrites;
    }

    @Config("onyx.s3.conditional-writes")
    @ConfigDescription("How new versions are created atomically: AUTO, IF_NONE_MATCH or LIST_CLAIMS")
    public OnyxS3Config setConditionalWrites(ConditionalWrites conditionalWrites)
    {
        this.conditionalWrites = conditionalWrites;
        return this;
    }

    @AssertTrue(message = "onyx.s3.aws-access-key and onyx.s3.aws-secret-key must be set together")
    public boolean isCredentialsComplete()
    {
        return (awsAccessKey == null) == (awsSecretKey == null);
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getRequestTimeout()
    {
        return requestTimeout;
    }

    @Config("onyx.s3.request-timeout")
    @ConfigDescription("How long one S3 request may take, its retries included, and how long a model file transfer may go without a byte")
    public OnyxS3Config setRequestTimeout(Duration requestTimeout)
    {
        this.requestTimeout = requestTimeout;
        return this;
    }

    public S3Options toS3Options()
    {
        return new S3Options(getEndpoint(), getRegion(), pathStyleAccess, getAwsAccessKey(), getAwsSecretKey(), conditionalWrites, requestTimeout.toJavaTime());
    }
}
