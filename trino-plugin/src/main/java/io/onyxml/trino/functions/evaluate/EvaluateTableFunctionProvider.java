package io.onyxml.trino.functions.evaluate;

import com.google.inject.Inject;
import com.google.inject.Provider;
import io.onyxml.trino.OnyxModels;
import io.trino.plugin.base.classloader.ClassLoaderSafeConnectorTableFunction;
import io.trino.spi.function.table.ConnectorTableFunction;
import io.trino.spi.type.TypeManager;

import static java.util.Objects.requireNonNull;

public class EvaluateTableFunctionProvider
        implements Provider<ConnectorTableFunction>
{
    private final OnyxModels models;
    private final TypeManager typeManager;

    @Inject
    public EvaluateTableFunctionProvider(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public ConnectorTableFunction get()
    {
        return new ClassLoaderSafeConnectorTableFunction(new EvaluateTableFunction(models, typeManager), getClass().getClassLoader());
    }
}
