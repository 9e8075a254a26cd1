package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.trino.spi.connector.ConnectorFactory;
import io.trino.testing.TestingConnectorContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static com.google.common.collect.Iterables.getOnlyElement;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestOnyxPlugin
{
    @TempDir
    Path store;

    @Test
    void createsAndShutsDownAConnector()
    {
        ConnectorFactory factory = getOnlyElement(new OnyxPlugin().getConnectorFactories());
        assertThat(factory.getName()).isEqualTo("onyx");
        factory.create("ml", ImmutableMap.of("onyx.model-store", store.toString(), "bootstrap.quiet", "true"), new TestingConnectorContext())
                .shutdown();
    }

    @Test
    void refusesAnInvalidDevice()
    {
        ConnectorFactory factory = getOnlyElement(new OnyxPlugin().getConnectorFactories());
        assertThatThrownBy(() -> factory.create("ml", ImmutableMap.of("onyx.model-store", store.toString(), "onyx.device", "tpu", "bootstrap.quiet", "true"), new TestingConnectorContext()))
                .hasMessageContaining("onyx.device must be auto, cpu, cuda or cuda:N");
    }
}
