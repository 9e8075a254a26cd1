package io.onyxml.training.linear;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.EncodedFeature;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.metrics.ClassificationMetrics;
import io.onyxml.training.metrics.RegressionMetrics;
import io.onyxml.training.onnx.LinearModelGraph;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A fitted linear or logistic model: scores in Java for the metrics, exports its graph, and reports its
 * coefficients on the original scale of the features (a numeric coefficient per unit of the column, a text one
 * per category, and the intercept).
 */
public final class FittedLinear
        implements FittedModel
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final LinearModel model;
    private final List<String> warnings;

    public FittedLinear(String name, LinearModel model, List<String> warnings)
    {
        this.name = requireNonNull(name, "name is null");
        this.model = requireNonNull(model, "model is null");
        this.warnings = ImmutableList.copyOf(warnings);
    }

    public LinearModel model()
    {
        return model;
    }

    @Override
    public ModelTask task()
    {
        return model.link() == Link.IDENTITY ? ModelTask.REGRESSION : ModelTask.CLASSIFICATION;
    }

    @Override
    public FeatureEncoder encoder()
    {
        return model.encoder();
    }

    @Override
    public List<String> classLabels()
    {
        return model.classLabels();
    }

    @Override
    public Map<String, Double> metrics(TrainingTable table, int[] rows)
    {
        FeatureEncoder encoder = model.encoder();
        double[] encoded = new double[encoder.width()];
        double[] scores = new double[model.outputs()];
        if (model.link() == Link.IDENTITY) {
            RegressionMetrics metrics = new RegressionMetrics();
            double[] label = table.labelNumbers().orElseThrow();
            for (int row : rows) {
                encoder.encode(table, row, encoded);
                model.scores(encoded, scores);
                metrics.add(label[row], scores[0]);
            }
            return metrics.metrics();
        }
        int classes = model.classLabels().size();
        int[] classOfCode = table.classIndexes(model.classLabels());
        ClassificationMetrics metrics = new ClassificationMetrics(classes);
        double[] probabilities = new double[classes];
        for (int row : rows) {
            encoder.encode(table, row, encoded);
            model.scores(encoded, scores);
            model.probabilities(scores, probabilities);
            metrics.add(classOfCode[table.labelCodes()[row]], Softmax.argMax(probabilities), probabilities);
        }
        return metrics.metrics();
    }

    @Override
    public byte[] onnx()
    {
        return LinearModelGraph.export(name, model);
    }

    @Override
    public Map<String, String> description()
    {
        Map<String, Object> coefficients = new LinkedHashMap<>();
        if (model.link() == Link.IDENTITY) {
            coefficients.putAll(originalScale(0));
        }
        else if (model.link() == Link.SIGMOID) {
            coefficients.put(model.classLabels().get(1), originalScale(0));
        }
        else {
            for (int output = 0; output < model.outputs(); output++) {
                coefficients.put(model.classLabels().get(output), originalScale(output));
            }
        }
        try {
            return ImmutableMap.of("coefficients", JSON.writeValueAsString(coefficients));
        }
        catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Weights of one output per unit of each original column: a standardised slot's weight divided by its
     * deviation, the intercept moved by the centres.
     */
    private Map<String, Double> originalScale(int output)
    {
        Map<String, Double> coefficients = new LinkedHashMap<>();
        double intercept = model.intercepts()[output];
        for (EncodedFeature feature : model.encoder().features()) {
            if (feature.column().isText()) {
                for (int i = 0; i < feature.width(); i++) {
                    coefficients.put(feature.column().name() + "=" + feature.vocabulary().get(i), model.weights()[feature.firstSlot() + i][output]);
                }
                continue;
            }
            double weight = model.weights()[feature.firstSlot()][output] / feature.scale();
            intercept -= weight * feature.center();
            coefficients.put(feature.column().name(), weight);
        }
        coefficients.put("(intercept)", intercept);
        return coefficients;
    }

    @Override
    public List<String> warnings()
    {
        return warnings;
    }
}
