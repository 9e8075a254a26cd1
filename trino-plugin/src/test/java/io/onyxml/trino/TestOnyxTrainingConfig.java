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
import static java.util.concurrent.TimeUnit.SECONDS;

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
                .setMaxDuration(new Duration(1, HOURS))
                .setMaxConcurrentPerNode(2)
                .setMaxConcurrentPerCluster(null)
                .setMaxSlotWait(new Duration(10, MINUTES)));
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
                .put("onyx.training.max-concurrent-per-node", "3")
                .put("onyx.training.max-concurrent-per-cluster", "8")
                .put("onyx.training.max-slot-wait", "30s")
                .buildOrThrow();

        OnyxTrainingConfig expected = new OnyxTrainingConfig()
                .setEnabled(false)
                .setMaxRows(5000)
                .setMaxFeatures(20)
                .setMaxCategories(50)
                .setMaxDuration(new Duration(10, MINUTES))
                .setMaxConcurrentPerNode(3)
                .setMaxConcurrentPerCluster(8)
                .setMaxSlotWait(new Duration(30, SECONDS));

        assertFullMapping(properties, expected);
    }
}
