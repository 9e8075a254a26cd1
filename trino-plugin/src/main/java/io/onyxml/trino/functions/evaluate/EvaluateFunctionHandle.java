package io.onyxml.trino.functions.evaluate;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.PinnedModel;
import io.trino.spi.function.table.ConnectorTableFunctionHandle;
import io.trino.spi.type.TypeId;

import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What the coordinator settled for one call of evaluate: the exact model version and the columns the processor
 * reads from its pages (the features the model binds by name, then the label when there is one).
 */
public record EvaluateFunctionHandle(PinnedModel model, List<String> featureNames, List<TypeId> featureTypes, Optional<TypeId> labelType)
        implements ConnectorTableFunctionHandle
{
    public EvaluateFunctionHandle
    {
        requireNonNull(model, "model is null");
        featureNames = ImmutableList.copyOf(featureNames);
        featureTypes = ImmutableList.copyOf(featureTypes);
        checkArgument(featureNames.size() == featureTypes.size(), "feature names and types differ in size");
        requireNonNull(labelType, "labelType is null");
    }
}
