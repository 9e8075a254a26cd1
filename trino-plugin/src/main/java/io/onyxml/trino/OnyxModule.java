package io.onyxml.trino;

import com.google.inject.Binder;
import com.google.inject.Module;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import io.onyxml.store.catalog.StoreTable;
import io.onyxml.trino.catalog.CatalogPageSourceProvider;
import io.onyxml.trino.catalog.CatalogSplitManager;
import io.onyxml.trino.catalog.CatalogTable;
import io.onyxml.trino.catalog.CatalogTables;
import io.onyxml.trino.catalog.LoadedModelsTable;
import io.onyxml.trino.catalog.StoreCatalogTable;
import io.onyxml.trino.functions.OnyxFunctionProvider;
import io.onyxml.trino.functions.PredictFunctions;
import io.onyxml.trino.functions.evaluate.EvaluateProcessorProviderFactory;
import io.onyxml.trino.functions.evaluate.EvaluateTableFunctionProvider;
import io.onyxml.trino.functions.predict.PredictProcessorProviderFactory;
import io.onyxml.trino.functions.predict.PredictTableFunctionProvider;
import io.onyxml.trino.functions.train.TrainModelProcessorProviderFactory;
import io.onyxml.trino.functions.train.TrainModelTableFunctionProvider;
import io.onyxml.trino.procedure.DropAliasProcedure;
import io.onyxml.trino.procedure.DropModelProcedure;
import io.onyxml.trino.procedure.DropModelVersionProcedure;
import io.onyxml.trino.procedure.RegisterModelProcedure;
import io.onyxml.trino.procedure.RemoveOrphanFilesProcedure;
import io.onyxml.trino.procedure.SetAliasProcedure;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorPageSourceProvider;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.function.FunctionProvider;
import io.trino.spi.function.table.ConnectorTableFunction;
import io.trino.spi.procedure.Procedure;
import io.trino.spi.type.TypeManager;

import static io.airlift.configuration.ConfigBinder.configBinder;

public class OnyxModule
        implements Module
{
    @Override
    public void configure(Binder binder)
    {
        configBinder(binder).bindConfig(OnyxConfig.class);
        configBinder(binder).bindConfig(OnyxS3Config.class);
        configBinder(binder).bindConfig(OnyxRegistrationConfig.class);
        configBinder(binder).bindConfig(OnyxTrainingConfig.class);
        configBinder(binder).bindConfig(OnyxSecurityConfig.class);
        binder.bind(OnyxSessionProperties.class).in(Scopes.SINGLETON);

        binder.bind(OnyxModels.class).in(Scopes.SINGLETON);
        binder.bind(OnyxConnector.class).in(Scopes.SINGLETON);
        binder.bind(Connector.class).to(OnyxConnector.class).in(Scopes.SINGLETON);
        binder.bind(ConnectorMetadata.class).to(OnyxMetadata.class).in(Scopes.SINGLETON);
        binder.bind(PredictFunctions.class).in(Scopes.SINGLETON);
        binder.bind(PredictProcessorProviderFactory.class).in(Scopes.SINGLETON);
        binder.bind(TrainModelProcessorProviderFactory.class).in(Scopes.SINGLETON);
        binder.bind(EvaluateProcessorProviderFactory.class).in(Scopes.SINGLETON);
        binder.bind(FunctionProvider.class).to(OnyxFunctionProvider.class).in(Scopes.SINGLETON);

        Multibinder<ConnectorTableFunction> tableFunctions = Multibinder.newSetBinder(binder, ConnectorTableFunction.class);
        tableFunctions.addBinding().toProvider(PredictTableFunctionProvider.class).in(Scopes.SINGLETON);
        tableFunctions.addBinding().toProvider(TrainModelTableFunctionProvider.class).in(Scopes.SINGLETON);
        tableFunctions.addBinding().toProvider(EvaluateTableFunctionProvider.class).in(Scopes.SINGLETON);

        Multibinder<Procedure> procedures = Multibinder.newSetBinder(binder, Procedure.class);
        procedures.addBinding().toProvider(RegisterModelProcedure.class).in(Scopes.SINGLETON);
        procedures.addBinding().toProvider(SetAliasProcedure.class).in(Scopes.SINGLETON);
        procedures.addBinding().toProvider(DropAliasProcedure.class).in(Scopes.SINGLETON);
        procedures.addBinding().toProvider(DropModelVersionProcedure.class).in(Scopes.SINGLETON);
        procedures.addBinding().toProvider(DropModelProcedure.class).in(Scopes.SINGLETON);
        procedures.addBinding().toProvider(RemoveOrphanFilesProcedure.class).in(Scopes.SINGLETON);

        Multibinder<CatalogTable> catalogTables = Multibinder.newSetBinder(binder, CatalogTable.class);
        catalogTables.addBinding().to(LoadedModelsTable.class).in(Scopes.SINGLETON);
        binder.bind(CatalogTables.class).in(Scopes.SINGLETON);
        binder.bind(ConnectorSplitManager.class).to(CatalogSplitManager.class).in(Scopes.SINGLETON);
        binder.bind(ConnectorPageSourceProvider.class).to(CatalogPageSourceProvider.class).in(Scopes.SINGLETON);
    }

    // the tables every engine shows the same, from the core
    @ProvidesIntoSet
    @Singleton
    public static CatalogTable modelsTable(OnyxModels models, TypeManager typeManager)
    {
        return new StoreCatalogTable(StoreTable.MODELS, models, typeManager);
    }

    @ProvidesIntoSet
    @Singleton
    public static CatalogTable modelVersionsTable(OnyxModels models, TypeManager typeManager)
    {
        return new StoreCatalogTable(StoreTable.MODEL_VERSIONS, models, typeManager);
    }

    @ProvidesIntoSet
    @Singleton
    public static CatalogTable orphanFilesTable(OnyxModels models, TypeManager typeManager)
    {
        return new StoreCatalogTable(StoreTable.ORPHAN_FILES, models, typeManager);
    }
}
