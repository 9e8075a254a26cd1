package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import io.onyxml.store.S3Options.ConditionalWrites;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

final class TestOnyxS3Config
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(OnyxS3Config.class)
                .setEndpoint(null)
                .setRegion(null)
                .setPathStyleAccess(false)
                .setAwsAccessKey(null)
                .setAwsSecretKey(null)
                .setConditionalWrites(ConditionalWrites.AUTO)
                .setRequestTimeout(new Duration(30, SECONDS)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("onyx.s3.endpoint", "http://minio:9000")
                .put("onyx.s3.region", "eu-west-1")
                .put("onyx.s3.path-style-access", "true")
                .put("onyx.s3.aws-access-key", "access")
                .put("onyx.s3.aws-secret-key", "secret")
                .put("onyx.s3.conditional-writes", "LIST_CLAIMS")
                .put("onyx.s3.request-timeout", "5s")
                .buildOrThrow();

        OnyxS3Config expected = new OnyxS3Config()
                .setEndpoint("http://minio:9000")
                .setRegion("eu-west-1")
                .setPathStyleAccess(true)
                .setAwsAccessKey("access")
                .setAwsSecretKey("secret")
                .setConditionalWrites(ConditionalWrites.LIST_CLAIMS)
                .setRequestTimeout(new Duration(5, SECONDS));

        assertFullMapping(properties, expected);
        assertThat(expected.toS3Options().endpoint()).contains("http://minio:9000");
        assertThat(expected.toS3Options().requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(expected.isCredentialsComplete()).isTrue();
        assertThat(new OnyxS3Config().setAwsAccessKey("access").isCredentialsComplete()).isFalse();
    }
}
