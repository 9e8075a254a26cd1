package io.onyxml.training;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The outcome of one training, ready to be registered: the ONNX file, what the manifest records, and what the
 * engines return to the user.
 *
 * @param featureNames the feature columns, in the order of the graph's inputs
 * @param testMetrics metrics on the held-out rows, when some were held out
 * @param description what the manifest's training map records beyond the options (coefficients, vocabularies)
 */
public record TrainedModel(
        Algorithm algorithm,
        ModelTask task,
        byte[] onnx,
        List<String> featureNames,
        List<String> classLabels,
        long trainingRows,
        long testRows,
        Duration trainingTime,
        Map<String, Double> metrics,
        Optional<Map<String, Double>> testMetrics,
        Optional<List<Long>> clusterSizes,
        List<String> warnings,
        Map<String, String> description)
{
    public TrainedModel
    {
        requireNonNull(algorithm, "algorithm is null");
        requireNonNull(task, "task is null");
        requireNonNull(onnx, "onnx is null");
        featureNames = ImmutableList.copyOf(featureNames);
        classLabels = ImmutableList.copyOf(classLabels);
        requireNonNull(trainingTime, "trainingTime is null");
        metrics = ImmutableMap.copyOf(metrics);
        testMetrics = testMetrics.map(ImmutableMap::copyOf);
        clusterSizes = clusterSizes.map(ImmutableList::copyOf);
        warnings = ImmutableList.copyOf(warnings);
        description = ImmutableMap.copyOf(description);
    }

    /**
     * A fitted model with what training observed: the warnings about the rows (none held out, NULL labels left out)
     * and the description (the preprocessing, then the model's own).
     */
    public static TrainedModel of(
            TrainingOptions options,
            FittedModel fitted,
            List<String> featureNames,
            RowCounts rows,
            Duration trainingTime,
            Map<String, Double> metrics,
            Optional<Map<String, Double>> testMetrics,
            Optional<List<Long>> clusterSizes)
    {
        ImmutableList.Builder<String> warnings = ImmutableList.<String>builder().addAll(fitted.warnings());
        double testFraction = options.number(TrainingOption.TEST_FRACTION);
        if (testFraction > 0 && rows.testRows() == 0) {
            warnings.add(format("test_fraction=%s held out no row of %s", testFraction, rows.trainingRows()));
        }
        if (rows.skippedRows() > 0) {
            warnings.add(format("%s rows with a NULL label were left out", rows.skippedRows()));
        }
        return new TrainedModel(
                options.algorithm(),
                fitted.task(),
                fitted.onnx(),
                featureNames,
                fitted.classLabels(),
                rows.trainingRows(),
                rows.testRows(),
                trainingTime,
                metrics,
                testMetrics,
                clusterSizes,
                warnings.build(),
                ImmutableMap.<String, String>builder()
                        .put("preprocessing", fitted.encoder().describe())
                        .putAll(fitted.description())
                        .buildOrThrow());
    }
}
