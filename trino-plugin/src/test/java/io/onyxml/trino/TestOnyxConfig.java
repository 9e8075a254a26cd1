package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.units.DataSize;
import io.airlift.units.Duration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.airlift.configuration.testing.ConfigAssertions.assertFullMapping;
import static io.airlift.configuration.testing.ConfigAssertions.assertRecordedDefaults;
import static io.airlift.configuration.testing.ConfigAssertions.recordDefaults;
import static io.airlift.units.DataSize.Unit.GIGABYTE;
import static io.airlift.units.DataSize.Unit.MEGABYTE;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

final class TestOnyxConfig
{
    @Test
    void testDefaults()
    {
        assertRecordedDefaults(recordDefaults(OnyxConfig.class)
                .setModelStore(null)
                .setModelCacheDirectory(null)
                .setModelCacheSize(DataSize.of(2, GIGABYTE))
                .setDevice("auto")
                .setSessionCacheSize(DataSize.of(1, GIGABYTE))
                .setIntraOpThreads(1)
                .setMaxConcurrentLoads(2)
                .setMaxCallTime(new Duration(5, MINUTES))
                .setEvaluator("auto")
                .setBatchSize(0)
                .setChangeDelay(new Duration(1, SECONDS)));
    }

    @Test
    void testExplicitPropertyMappings()
    {
        Map<String, String> properties = ImmutableMap.<String, String>builder()
                .put("onyx.model-store", "s3://models/prod")
                .put("onyx.model-cache-directory", "/var/cache/onyx")
                .put("onyx.model-cache-size", "512MB")
                .put("onyx.device", "cuda:1")
                .put("onyx.session-cache-size", "4GB")
                .put("onyx.intra-op-threads", "4")
                .put("onyx.max-concurrent-loads", "3")
                .put("onyx.max-call-time", "30s")
                .put("onyx.evaluator", "onnxruntime")
                .put("onyx.batch-size", "1024")
                .put("onyx.change-delay", "250ms")
                .buildOrThrow();

        OnyxConfig expected = new OnyxConfig()
                .setModelStore("s3://models/prod")
                .setModelCacheDirectory("/var/cache/onyx")
                .setModelCacheSize(DataSize.of(512, MEGABYTE))
                .setDevice("cuda:1")
                .setSessionCacheSize(DataSize.of(4, GIGABYTE))
                .setIntraOpThreads(4)
                .setMaxConcurrentLoads(3)
                .setMaxCallTime(new Duration(30, SECONDS))
                .setEvaluator("onnxruntime")
                .setBatchSize(1024)
                .setChangeDelay(new Duration(250, MILLISECONDS));

        assertFullMapping(properties, expected);
    }
}
