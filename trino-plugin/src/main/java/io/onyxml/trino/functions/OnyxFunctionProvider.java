package io.onyxml.trino.functions;

import com.google.inject.Inject;
import io.onyxml.trino.functions.evaluate.EvaluateFunctionHandle;
import io.onyxml.trino.functions.evaluate.EvaluateProcessorProviderFactory;
import io.onyxml.trino.functions.predict.PredictFunctionHandle;
import io.onyxml.trino.functions.predict.PredictProcessorProviderFactory;
import io.onyxml.trino.functions.train.TrainModelFunctionHandle;
import io.onyxml.trino.functions.train.TrainModelProcessorProviderFactory;
import io.trino.plugin.base.classloader.ClassLoaderSafeTableFunctionProcessorProviderFactory;
import io.trino.spi.function.BoundSignature;
import io.trino.spi.function.FunctionDependencies;
import io.trino.spi.function.FunctionId;
import io.trino.spi.function.FunctionProvider;
import io.trino.spi.function.InvocationConvention;
import io.trino.spi.function.ScalarFunctionImplementation;
import io.trino.spi.function.table.ConnectorTableFunctionHandle;
import io.trino.spi.function.table.TableFunctionProcessorProviderFactory;

import static java.util.Objects.requireNonNull;

/**
 * Turns the connector's function ids and table-function handles into implementations.
 */
public class OnyxFunctionProvider
        implements FunctionProvider
{
    private final PredictFunctions predictFunctions;
    private final PredictProcessorProviderFactory predictProcessors;
    private final TrainModelProcessorProviderFactory trainModelProcessors;
    private final EvaluateProcessorProviderFactory evaluateProcessors;

    @Inject
    public OnyxFunctionProvider(
            PredictFunctions predictFunctions,
            PredictProcessorProviderFactory predictProcessors,
            TrainModelProcessorProviderFactory trainModelProcessors,
            EvaluateProcessorProviderFactory evaluateProcessors)
    {
        this.predictFunctions = requireNonNull(predictFunctions, "predictFunctions is null");
        this.predictProcessors = requireNonNull(predictProcessors, "predictProcessors is null");
        this.trainModelProcessors = requireNonNull(trainModelProcessors, "trainModelProcessors is null");
        this.evaluateProcessors = requireNonNull(evaluateProcessors, "evaluateProcessors is null");
    }

    @Override
    public ScalarFunctionImplementation getScalarFunctionImplementation(
            FunctionId functionId,
            BoundSignature boundSignature,
            FunctionDependencies functionDependencies,
            InvocationConvention invocationConvention)
    {
        if (!PredictFunctions.isPredictFunction(functionId)) {
            throw new IllegalArgumentException("Unknown function: " + functionId);
        }
        return predictFunctions.implementation(functionId, boundSignature, invocationConvention);
    }

    @Override
    public TableFunctionProcessorProviderFactory getTableFunctionProcessorProviderFactory(ConnectorTableFunctionHandle functionHandle)
    {
        TableFunctionProcessorProviderFactory factory = switch (functionHandle) {
            case PredictFunctionHandle _ -> predictProcessors;
            case TrainModelFunctionHandle _ -> trainModelProcessors;
            case EvaluateFunctionHandle _ -> evaluateProcessors;
            default -> throw new UnsupportedOperationException("Unsupported function: " + functionHandle);
        };
        return new ClassLoaderSafeTableFunctionProcessorProviderFactory(factory, getClass().getClassLoader());
    }
}
