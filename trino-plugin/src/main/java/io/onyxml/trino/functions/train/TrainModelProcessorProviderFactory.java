package io.onyxml.trino.functions.train;

import com.google.inject.Inject;
import io.onyxml.training.TrainingLimits;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.functions.DataProcessors;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorProvider;
import io.trino.spi.function.table.TableFunctionProcessorProviderFactory;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.OnyxSessionProperties.trainingLimits;
import static java.util.Objects.requireNonNull;

/**
 * Builds, on the node that holds a partition, the processor that trains its model.
 */
public class TrainModelProcessorProviderFactory
        implements TableFunctionProcessorProviderFactory
{
    private final OnyxModels models;
    private final TypeManager typeManager;

    @Inject
    public TrainModelProcessorProviderFactory(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public TableFunctionProcessorProvider createTableFunctionProcessorProvider()
    {
        return DataProcessors.provider((session, handle) -> processor(session, (TrainModelFunctionHandle) handle));
    }

    private TableFunctionDataProcessor processor(ConnectorSession session, TrainModelFunctionHandle handle)
    {
        List<Type> featureTypes = handle.featureTypes().stream().map(typeManager::getType).collect(toImmutableList());
        List<Type> partitionTypes = handle.partitionTypes().stream().map(typeManager::getType).collect(toImmutableList());
        List<Type> resultTypes = TrainModelTableFunction.resultDescriptor(typeManager).getFields().stream().map(field -> field.getType().orElseThrow()).collect(toImmutableList());
        TrainingLimits limits = trainingLimits(session, handle.catalog());
        return new TrainModelDataProcessor(models, models.access(session), handle, featureTypes, handle.labelType().map(typeManager::getType), partitionTypes, resultTypes, limits);
    }
}
