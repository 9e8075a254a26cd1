package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The ONNX file a {@link ModelConverter} made, and what it knows about the model.
 *
 * @param sourceFormat the format the file came in, e.g. {@code xgboost-json}, recorded in the manifest
 * @param defaultClassLabels the classes of a classifier when the caller gives none
 * @param training entries for the manifest's training map
 */
public record ConvertedModel(byte[] onnx, String sourceFormat, ModelTask task, List<String> defaultClassLabels, boolean handlesMissingValues, Map<String, String> training)
{
    public ConvertedModel
    {
        requireNonNull(onnx, "onnx is null");
        requireNonNull(sourceFormat, "sourceFormat is null");
        requireNonNull(task, "task is null");
        defaultClassLabels = ImmutableList.copyOf(defaultClassLabels);
        training = ImmutableMap.copyOf(training);
    }

    /**
     * The caller's options, with the task, class labels and missing-value handling of the conversion where the
     * caller left them out, and the source format recorded.
     */
    public RegisterOptions complete(RegisterOptions options)
    {
        ImmutableMap.Builder<String, String> entries = ImmutableMap.builder();
        entries.put("source_format", sourceFormat);
        training.forEach((key, value) -> {
            if (!options.training().containsKey(key) && !key.equals("source_format")) {
                entries.put(key, value);
            }
        });
        options.training().forEach((key, value) -> {
            if (!key.equals("source_format")) {
                entries.put(key, value);
            }
        });
        return new RegisterOptions(
                options.description(),
                options.task().or(() -> Optional.of(task)),
                options.featureNames(),
                options.classLabels().or(() -> defaultClassLabels.isEmpty() ? Optional.empty() : Optional.of(defaultClassLabels)),
                options.handlesMissingValues() || handlesMissingValues,
                entries.buildOrThrow(),
                options.metrics(),
                options.registeredBy());
    }
}
