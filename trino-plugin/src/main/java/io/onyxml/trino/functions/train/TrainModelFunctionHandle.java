package io.onyxml.trino.functions.train;

import com.google.common.collect.ImmutableList;
import io.trino.spi.function.table.ConnectorTableFunctionHandle;
import io.trino.spi.type.TypeId;

import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What the coordinator settled for one call of train_model: the model name, algorithm and options, where the
 * processor finds the features, the label and the partitioning columns in its pages (channels of the required
 * columns, in this order: features, label, partitioning columns).
 */
public record TrainModelFunctionHandle(
        String model,
        String algorithm,
        String options,
        List<String> featureNames,
        List<TypeId> featureTypes,
        Optional<String> labelName,
        Optional<TypeId> labelType,
        List<String> partitionNames,
        List<TypeId> partitionTypes,
        String catalog,
        String queryId,
        String user)
        implements ConnectorTableFunctionHandle
{
    public TrainModelFunctionHandle
    {
        requireNonNull(model, "model is null");
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(options, "options is null");
        featureNames = ImmutableList.copyOf(featureNames);
        featureTypes = ImmutableList.copyOf(featureTypes);
        checkArgument(featureNames.size() == featureTypes.size(), "feature names and types differ in size");
        requireNonNull(labelName, "labelName is null");
        requireNonNull(labelType, "labelType is null");
        partitionNames = ImmutableList.copyOf(partitionNames);
        partitionTypes = ImmutableList.copyOf(partitionTypes);
        requireNonNull(catalog, "catalog is null");
        requireNonNull(queryId, "queryId is null");
        requireNonNull(user, "user is null");
    }
}
