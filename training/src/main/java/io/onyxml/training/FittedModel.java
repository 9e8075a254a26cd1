package io.onyxml.training;

import io.onyxml.store.ModelTask;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fitted model before it is stored: it scores rows of the training table in Java (for the metrics), exports
 * itself as ONNX and describes itself for the manifest.
 */
public interface FittedModel
{
    ModelTask task();

    /**
     * The preprocessing the model's graph applies to its inputs.
     */
    FeatureEncoder encoder();

    List<String> classLabels();

    /**
     * The metrics of the model on the given rows of the table, computed by the same code as {@code evaluate}.
     */
    Map<String, Double> metrics(TrainingTable table, int[] rows);

    /**
     * Cluster sizes over the training rows, for clustering models.
     */
    default Optional<List<Long>> clusterSizes()
    {
        return Optional.empty();
    }

    /**
     * The ONNX graph: one input per feature column, named after it, with the preprocessing inside.
     */
    byte[] onnx();

    /**
     * What the manifest records about the model beyond its options, e.g. coefficients, as JSON texts.
     */
    Map<String, String> description();

    List<String> warnings();
}
