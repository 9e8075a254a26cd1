package io.onyxml.trino.functions;

import io.trino.plugin.base.classloader.ClassLoaderSafeTableFunctionDataProcessor;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.function.table.ConnectorTableFunctionHandle;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorProvider;

import java.util.function.BiFunction;

/**
 * A processor provider whose processors run in the plugin's class loader.
 */
public final class DataProcessors
{
    private DataProcessors() {}

    public static TableFunctionProcessorProvider provider(BiFunction<ConnectorSession, ConnectorTableFunctionHandle, TableFunctionDataProcessor> processors)
    {
        ClassLoader classLoader = DataProcessors.class.getClassLoader();
        return new TableFunctionProcessorProvider()
        {
            @Override
            public TableFunctionDataProcessor getDataProcessor(ConnectorSession session, ConnectorTableFunctionHandle handle)
            {
                return new ClassLoaderSafeTableFunctionDataProcessor(processors.apply(session, handle), classLoader);
            }
        };
    }
}
