package io.onyxml.trino.spi;

import com.google.inject.Module;
import io.trino.plugin.base.ConnectorContextModule;
import io.trino.spi.NodeManager;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.type.TypeManager;

/**
 * What a connector takes from the server, as Guice bindings.
 */
public final class ContextModules
{
    private ContextModules() {}

    /**
     * Binds the catalog name, the {@link TypeManager} and the {@link NodeManager} (the toolkit's module binds these
     * and more of the server's services).
     */
    public static Module connectorContext(String catalogName, ConnectorContext context)
    {
        return new ConnectorContextModule(catalogName, context);
    }
}
