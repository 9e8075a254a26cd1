package io.onyxml.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.RegisterOptions;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the manifest of a trained version records, the same from every engine: algorithm, options (JSON), row counts,
 * duration, label, feature types (JSON), warnings (JSON), the model's own description (coefficients or centres),
 * what the engine adds (query id or Spark application; the user goes to the manifest's {@code registered_by}), the
 * training metrics and the held-out ones prefixed with {@code test_}.
 */
public final class TrainedModelRegistration
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainedModelRegistration() {}

    public static RegisterOptions options(TrainedModel model, TrainingOptions options, Optional<String> label, List<String> featureTypes, Map<String, String> engineContext)
    {
        ImmutableMap.Builder<String, String> training = ImmutableMap.<String, String>builder()
                .put("algorithm", model.algorithm().algorithmName())
                .put("options", json(options.asMap()))
                .put("training_rows", Long.toString(model.trainingRows()))
                .put("test_rows", Long.toString(model.testRows()))
                .put("training_seconds", Double.toString(model.trainingTime().toNanos() / 1e9))
                .put("feature_types", json(featureTypes));
        label.ifPresent(name -> training.put("label", name));
        if (!model.warnings().isEmpty()) {
            training.put("warnings", json(model.warnings()));
        }
        training.putAll(model.description());
        engineContext.forEach(training::put);
        RegisterOptions.Builder register = RegisterOptions.builder()
                .description("Trained by train_model with " + model.algorithm().algorithmName())
                .task(model.task())
                .featureNames(model.featureNames())
                .handlesMissingValues(true)
                .training(training.buildKeepingLast());
        if (!model.classLabels().isEmpty()) {
            register.classLabels(model.classLabels());
        }
        model.metrics().forEach(register::metric);
        model.testMetrics().ifPresent(metrics -> metrics.forEach((name, value) -> register.metric("test_" + name, value)));
        return register.build();
    }

    private static String json(Object value)
    {
        try {
            return JSON.writeValueAsString(value);
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
