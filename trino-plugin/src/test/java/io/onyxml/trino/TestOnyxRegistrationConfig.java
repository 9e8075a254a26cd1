package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.GIGABYTE;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static org.assertj.core.api.Assertions.assertThat;

final class TestOnyxRegistrationConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(OnyxRegistrationConfig.class)
                .setAllowedLocations(null)
                .setMaxModelFileSize(DataSize.of(2, GIGABYTE)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("onyx.register-model.allowed-locations", "/srv/models, s3://uploads/team")
                .put("onyx.max-model-file-size", "256MB")
                .buildOrThrow();

        OnyxRegistrationConfig expected = new OnyxRegistrationConfig()
                .setAllowedLocations("/srv/models, s3://uploads/team")
                .setMaxModelFileSize(DataSize.of(256, MEGABYTE));

        assertFullMapping(properties, expected);
    }

    @Test
    void validatesTheLocations()
    {
        assertThat(new OnyxRegistrationConfig().isAllowedLocationsValid()).isTrue();
        assertThat(new OnyxRegistrationConfig().setAllowedLocations("/srv/models,s3://uploads/team").isAllowedLocationsValid()).isTrue();
        assertThat(new OnyxRegistrationConfig().setAllowedLocations("relative/models").isAllowedLocationsValid()).isFalse();
        assertThat(new OnyxRegistrationConfig().setAllowedLocations("s3:///no-bucket").isAllowedLocationsValid()).isFalse();
        // 2GB is one byte more than protobuf can parse; the policy takes the largest file there can be
        assertThat(new OnyxRegistrationConfig().toPolicy().maxModelFileBytes()).isEqualTo(Integer.MAX_VALUE);
    }
}
