package io.onyxml.trino.functions.train;

import com.google.inject.Inject;
import com.google.inject.Provider;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.OnyxTrainingConfig;
import io.trino.plugin.base.classloader.ClassLoaderSafeConnectorTableFunction;
import io.trino.spi.catalog.CatalogName;
import io.trino.spi.function.table.ConnectorTableFunction;
import io.trino.spi.type.TypeManager;

import static java.util.Objects.requireNonNull;

public class TrainModelTableFunctionProvider
        implements Provider<ConnectorTableFunction>
{
    private final String catalog;
    private final boolean enabled;
    private final TypeManager typeManager;
    private final OnyxModels models;

    @Inject
    public TrainModelTableFunctionProvider(CatalogName catalog, OnyxTrainingConfig config, TypeManager typeManager, OnyxModels models)
    {
        this.models = requireNonNull(models, "models is null");
        this.catalog = requireNonNull(catalog, "catalog is null").toString();
        this.enabled = config.isEnabled();
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public ConnectorTableFunction get()
    {
        return new ClassLoaderSafeConnectorTableFunction(new TrainModelTableFunction(catalog, enabled, typeManager, models), getClass().getClassLoader());
    }
}
