package io.onyxml.trino;

import com.google.inject.Injector;
import io.airlift.bootstrap.Bootstrap;
import io.onyxml.trino.spi.ContextModules;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.ConnectorFactory;

import java.util.Map;

import static io.trino.plugin.base.Versions.checkStrictSpiVersionMatch;

public class OnyxConnectorFactory
        implements ConnectorFactory
{
    public static final String NAME = "onyx";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public Connector create(String catalogName, Map<String, String> config, ConnectorContext context)
    {
        checkStrictSpiVersionMatch(context, this);

        Bootstrap app = new Bootstrap(
                ContextModules.connectorContext(catalogName, context),
                new OnyxModule());

        Injector injector = app
                .doNotInitializeLogging()
                .setRequiredConfigurationProperties(config)
                .initialize();

        return injector.getInstance(Connector.class);
    }
}
