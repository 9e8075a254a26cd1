package io.onyxml.trino.functions.evaluate;

import com.google.inject.Inject;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.training.evaluation.ModelEvaluator;
import io.onyxml.trino.OnyxModels;
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
 * Builds the processor of evaluate on the node that holds a partition, for the exact version the coordinator
 * pinned (re-checked by checksum).
 */
public class EvaluateProcessorProviderFactory
        implements TableFunctionProcessorProviderFactory
{
    private final OnyxModels models;
    private final TypeManager typeManager;

    @Inject
    public EvaluateProcessorProviderFactory(OnyxModels models, TypeManager typeManager)
    {
        this.models = requireNonNull(models, "models is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    @Override
    public TableFunctionProcessorProvider createTableFunctionProcessorProvider()
    {
        return DataProcessors.provider((session, handle) -> processor((EvaluateFunctionHandle) handle));
    }

    private TableFunctionDataProcessor processor(EvaluateFunctionHandle handle)
    {
        List<Type> featureTypes = handle.featureTypes().stream().map(typeManager::getType).collect(toImmutableList());
        PredictionPlan plan = models.plan(handle.model(), handle.featureNames(), featureTypes, BindingMode.BY_NAME);
        ModelEvaluator evaluator = translated(() -> new ModelEvaluator(models.engine().predictor(plan), handle.labelType().isPresent()));
        List<Type> resultTypes = EvaluateTableFunction.resultDescriptor(typeManager).getFields().stream().map(field -> field.getType().orElseThrow()).collect(toImmutableList());
        return new EvaluateDataProcessor(plan, evaluator, featureTypes, handle.labelType().map(typeManager::getType), resultTypes);
    }
}
