package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a caller may say about a model when registering it. Whatever is left out is read from the ONNX file:
 * the task and class labels from its operators, the feature names from its inputs or from the metadata
 * property {@code feature_names} (comma separated).
 */
public record RegisterOptions(
        Optional<String> description,
        Optional<ModelTask> task,
        Optional<List<String>> featureNames,
        Optional<List<String>> classLabels,
        boolean handlesMissingValues,
        Map<String, String> training,
        Map<String, Double> metrics,
        Optional<String> registeredBy)
{
    public static final RegisterOptions DEFAULTS = builder().build();

    public RegisterOptions
    {
        requireNonNull(description, "description is null");
        requireNonNull(task, "task is null");
        featureNames = requireNonNull(featureNames, "featureNames is null").map(ImmutableList::copyOf);
        classLabels = requireNonNull(classLabels, "classLabels is null").map(ImmutableList::copyOf);
        training = ImmutableMap.copyOf(requireNonNull(training, "training is null"));
        metrics = ImmutableMap.copyOf(requireNonNull(metrics, "metrics is null"));
        requireNonNull(registeredBy, "registeredBy is null");
    }

    /**
     * These options, for a version registered by this user (the engine's user of the query or job).
     */
    public RegisterOptions withRegisteredBy(String user)
    {
        return new RegisterOptions(description, task, featureNames, classLabels, handlesMissingValues, training, metrics, Optional.of(user));
    }

    /**
     * The options of {@code register_model} as every engine takes them (null for an argument left out): the task by
     * its name, feature names and class labels without NULLs.
     */
    public static RegisterOptions fromArguments(String description, String task, List<?> featureNames, boolean handlesMissingValues, List<?> classLabels)
    {
        Builder options = builder()
                .description(description)
                .handlesMissingValues(handlesMissingValues);
        if (task != null) {
            options.task(ModelTask.fromDisplayName(task).orElseThrow(() -> new OnyxException(
                    OnyxErrorCode.INVALID_ARGUMENT,
                    String.format("Unknown task '%s': use regression, classification, clustering, embedding or other", ModelNames.printable(task)))));
        }
        if (featureNames != null) {
            if (featureNames.contains(null)) {
                throw new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, "feature_names cannot contain NULL");
            }
            options.featureNames(featureNames.stream().map(Object::toString).toList());
        }
        if (classLabels != null) {
            if (classLabels.contains(null) || classLabels.isEmpty()) {
                throw new OnyxException(OnyxErrorCode.INVALID_ARGUMENT, classLabels.isEmpty() ? "class_labels cannot be empty" : "class_labels cannot contain NULL");
            }
            options.classLabels(classLabels.stream().map(Object::toString).toList());
        }
        return options.build();
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public static final class Builder
    {
        private Optional<String> description = Optional.empty();
        private Optional<ModelTask> task = Optional.empty();
        private Optional<List<String>> featureNames = Optional.empty();
        private Optional<List<String>> classLabels = Optional.empty();
        private boolean handlesMissingValues;
        private final ImmutableMap.Builder<String, String> training = ImmutableMap.builder();
        private final ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();

        private Builder() {}

        public Builder description(String description)
        {
            this.description = Optional.ofNullable(description).filter(text -> !text.isBlank());
            return this;
        }

        public Builder task(ModelTask task)
        {
            this.task = Optional.of(task);
            return this;
        }

        public Builder featureNames(List<String> featureNames)
        {
            this.featureNames = Optional.of(featureNames);
            return this;
        }

        public Builder classLabels(List<String> classLabels)
        {
            this.classLabels = Optional.of(classLabels);
            return this;
        }

        public Builder handlesMissingValues(boolean handlesMissingValues)
        {
            this.handlesMissingValues = handlesMissingValues;
            return this;
        }

        public Builder training(Map<String, String> training)
        {
            this.training.putAll(training);
            return this;
        }

        public Builder metric(String name, double value)
        {
            this.metrics.put(name, value);
            return this;
        }

        public RegisterOptions build()
        {
            return new RegisterOptions(description, task, featureNames, classLabels, handlesMissingValues, training.buildOrThrow(), metrics.buildOrThrow(), Optional.empty());
        }
    }
}
