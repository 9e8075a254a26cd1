package io.onyxml.trino.functions.predict;

import com.google.inject.Inject;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.trino.OnyxModels;
import io.onyxml.trino.TypeMapping;
import io.onyxml.trino.functions.DataProcessors;
import io.trino.spi.function.table.TableFunctionDataProcessor;
import io.trino.spi.function.table.TableFunctionProcessorProvider;
import io.trino.spi.function.table.TableFunctionProcessorProviderFactory;
import io.trino.spi.type.Type;
import io.trino.spi.type.TypeManager;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.trino.TrinoErrors.translated;
import static java.util.Objects.requireNonNull;

/**
 * Builds, on each worker, the processors of the predict table function from the handle the coordinator planned.
 */
public class PredictProcessorProviderFactory
        implements TableFunctionProcessorProviderFactory
{
    private final OnyxModels models;
    private final TypeManager typeManager;

    @Inject
    public PredictProcessorProviderFactory(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public TableFunctionProcessorProvider createTableFunctionProcessorProvider()
    {
        return DataProcessors.provider((session, handle) -> processor((PredictFunctionHandle) handle));
    }

    private TableFunctionDataProcessor processor(PredictFunctionHandle handle)
    {
        List<Type> inputTypes = handle.columnTypes().stream().map(typeManager::getType).collect(toImmutableList());
        PredictionPlan plan = models.plan(handle.model(), handle.columnNames(), inputTypes, handle.bindingMode());
        List<ResultColumn> results = translated(() -> ResultColumns.table(plan));
        List<Type> resultTypes = results.stream().map(column -> TypeMapping.toTrinoType(column.type(), typeManager)).collect(toImmutableList());
        return new PredictDataProcessor(plan, models.engine().predictor(plan), handle.channels(), inputTypes, results, resultTypes, models.batchRows());
    }
}
