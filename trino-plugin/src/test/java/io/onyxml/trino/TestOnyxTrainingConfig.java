package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MINUTES;

final class TestOnyxTrainingConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(OnyxTrainingConfig.class)
                .setEnabled(true)
                .setMaxRows(10_000_000)
                .setMaxFeatures(1000)
                .setMaxCategories(1000)
                .setMaxDuration(new Duration(1, HOURS)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("onyx.training.enabled", "false")
                .put("onyx.training.max-rows", "5000")
                .put("onyx.training.max-features", "20")
                .put("onyx.training.max-categories", "50")
                .put("onyx.training.max-duration", "10m")
                .buildOrThrow();

        OnyxTrainingConfig expected = new OnyxTrainingConfig()
                .setEnabled(false)
                .setMaxRows(5000)
                .setMaxFeatures(20)
                .setMaxCategories(50)
                .setMaxDuration(new Duration(10, MINUTES));

        assertFullMapping(properties, expected);
    }
}
