package io.onyxml.trino.spi;

import com.google.inject.Module;
import io.trino.plugin.base.CatalogNameModule;
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
     * Binds the catalog name, the {@link TypeManager} and the {@link NodeManager}.
     */
    public static Module connectorContext(String catalogName, ConnectorContext context)
    {
        return binder -> {
            binder.install(new CatalogNameModule(catalogName));
            binder.bind(TypeManager.class).toInstance(context.getTypeManager());
            binder.bind(NodeManager.class).toInstance(context.getNodeManager());
        };
    }
}
