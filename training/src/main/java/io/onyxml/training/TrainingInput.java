package io.onyxml.training;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.EngineColumn;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;

import java.util.List;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.training.TrainingLimits.Limit.FEATURES;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The columns one training reads from an engine's input, chosen by the rules every engine shares
 * ({@link InputColumns}): the label the algorithm needs (or none), the features, the partitioning columns; the
 * features' names suit the exported graph ({@link FeatureNames}) and their count is within the limit.
 *
 * @param features the indexes of the feature columns in the input, in the order the model takes them
 * @param label the index of the label column
 * @param partitions the indexes of the partitioning columns
 * @param featureColumns the features as training reads them
 * @param labelColumn the label as training reads it
 */
public record TrainingInput(List<Integer> features, Optional<Integer> label, List<Integer> partitions, List<TrainingColumn> featureColumns, Optional<TrainingColumn> labelColumn)
{
    public TrainingInput
    {
        features = ImmutableList.copyOf(features);
        requireNonNull(label, "label is null");
        partitions = ImmutableList.copyOf(partitions);
        featureColumns = ImmutableList.copyOf(featureColumns);
        requireNonNull(labelColumn, "labelColumn is null");
    }

    /**
     * @param label the label column's name, when the call names one
     * @param listedFeatures the feature columns' names, when the call lists them
     * @param partitionColumns the names of the columns that split the input into one model each
     */
    public static TrainingInput bind(
            String model,
            Algorithm algorithm,
            List<EngineColumn> columns,
            Optional<String> label,
            Optional<List<String>> listedFeatures,
            List<String> partitionColumns,
            TrainingLimits limits,
            InputWording wording)
    {
        List<Integer> partitions = partitionColumns.stream().map(name -> InputColumns.find(columns, name, "PARTITION BY", wording)).collect(toImmutableList());
        partitions.forEach(index -> InputColumns.checkPartitionType(columns.get(index), wording));

        Optional<Integer> labelIndex = Optional.empty();
        if (algorithm.needsLabel()) {
            String labelName = label.orElseThrow(() -> new OnyxException(INVALID_ARGUMENT, format("%s needs a label: %s", algorithm.algorithmName(), wording.label("<column>"))));
            int index = InputColumns.find(columns, labelName, "label", wording);
            InputColumns.checkLabelType(algorithm, columns.get(index));
            if (partitions.contains(index)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Column '%s' is the label; it cannot also be a PARTITION BY column", columns.get(index).name()));
            }
            labelIndex = Optional.of(index);
        }
        else if (label.isPresent()) {
            throw new OnyxException(INVALID_ARGUMENT, format("%s takes no label; leave out %s", algorithm.algorithmName(), wording.label(label.get())));
        }

        List<Integer> features = InputColumns.features(columns, listedFeatures, labelIndex, partitions, wording);
        List<TrainingColumn> featureColumns = features.stream()
                .map(index -> new TrainingColumn(columns.get(index).name(), InputColumns.scalar(columns.get(index)).orElseThrow()))
                .collect(toImmutableList());
        FeatureNames.check(featureColumns.stream().map(TrainingColumn::name).collect(toImmutableList()));
        if (features.size() > limits.maxFeatures()) {
            throw limits.exceeded(FEATURES, format(
                    "Model '%s' would train on %s feature columns, more than %s, the limit of features per training",
                    model,
                    features.size(),
                    limits.maxFeatures()));
        }
        Optional<TrainingColumn> labelColumn = labelIndex.map(index -> new TrainingColumn(columns.get(index).name(), InputColumns.scalar(columns.get(index)).orElseThrow()));
        return new TrainingInput(features, labelIndex, partitions, featureColumns, labelColumn);
    }

    /**
     * How the training reads the label: as numbers, as classes, or not at all.
     */
    public LabelRole labelRole(Algorithm algorithm)
    {
        return labelColumn.map(column -> LabelRole.of(algorithm, column)).orElse(LabelRole.NONE);
    }
}
