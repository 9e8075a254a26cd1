package io.onyxml.training.trees;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelTask;
import io.onyxml.training.FittedModel;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.linear.Softmax;
import io.onyxml.training.metrics.ClassificationMetrics;
import io.onyxml.training.metrics.RegressionMetrics;
import io.onyxml.training.onnx.TreeEnsembleGraph;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Fitted boosted trees. The metrics of the training and held-out rows come from XGBoost's own predictions; other rows
 * are scored with the trees in Java, as XGBoost does (float features, float sums).
 */
public final class FittedTrees
        implements FittedModel
{
    private final String name;
    private final FeatureEncoder encoder;
    private final TreeEnsemble ensemble;
    private final List<String> classLabels;
    private final List<String> warnings;
    private final int rounds;
    private final Map<int[], float[][]> predictions;

    FittedTrees(String name, FeatureEncoder encoder, TreeEnsemble ensemble, List<String> classLabels, List<String> warnings, int rounds, IdentityHashMap<int[], float[][]> predictions)
    {
        this.predictions = predictions;
        this.name = requireNonNull(name, "name is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.ensemble = requireNonNull(ensemble, "ensemble is null");
        this.classLabels = ImmutableList.copyOf(classLabels);
        this.warnings = ImmutableList.copyOf(warnings);
        this.rounds = rounds;
    }

    public TreeEnsemble ensemble()
    {
        return ensemble;
    }

    @Override
    public ModelTask task()
    {
        return classLabels.isEmpty() ? ModelTask.REGRESSION : ModelTask.CLASSIFICATION;
    }

    @Override
    public FeatureEncoder encoder()
    {
        return encoder;
    }

    @Override
    public List<String> classLabels()
    {
        return classLabels;
    }

    @Override
    public Map<String, Double> metrics(TrainingTable table, int[] rows)
    {
        double[] encoded = new double[encoder.width()];
        float[] features = new float[encoder.width()];
        float[] margins = new float[ensemble.outputs()];
        float[][] xgboost = predictions.get(rows);
        if (classLabels.isEmpty()) {
            RegressionMetrics metrics = new RegressionMetrics();
            double[] label = table.labelNumbers().orElseThrow();
            for (int i = 0; i < rows.length; i++) {
                if (xgboost != null) {
                    metrics.add(label[rows[i]], xgboost[i][0]);
                    continue;
                }
                margins(table, rows[i], encoded, features, margins);
                metrics.add(label[rows[i]], margins[0]);
            }
            return metrics.metrics();
        }
        int[] classOfCode = table.classIndexes(classLabels);
        ClassificationMetrics metrics = new ClassificationMetrics(classLabels.size());
        double[] probabilities = new double[classLabels.size()];
        double[] scores = new double[ensemble.outputs()];
        for (int i = 0; i < rows.length; i++) {
            int row = rows[i];
            if (xgboost != null && classLabels.size() == 2) {
                probabilities[1] = xgboost[i][0];
                probabilities[0] = 1 - probabilities[1];
            }
            else if (xgboost != null) {
                for (int k = 0; k < probabilities.length; k++) {
                    probabilities[k] = xgboost[i][k];
                }
            }
            else {
                margins(table, row, encoded, features, margins);
                for (int k = 0; k < margins.length; k++) {
                    scores[k] = margins[k];
                }
                if (classLabels.size() == 2) {
                    Softmax.sigmoid(scores[0], probabilities);
                }
                else {
                    Softmax.apply(scores, probabilities);
                }
            }
            int predicted = Softmax.argMax(probabilities);
            metrics.add(classOfCode[table.labelCodes()[row]], predicted, probabilities);
        }
        return metrics.metrics();
    }

    private void margins(TrainingTable table, int row, double[] encoded, float[] features, float[] margins)
    {
        encoder.encode(table, row, encoded);
        for (int slot = 0; slot < encoded.length; slot++) {
            features[slot] = (float) encoded[slot];
        }
        ensemble.margins(features, margins);
    }

    @Override
    public byte[] onnx()
    {
        return TreeEnsembleGraph.export(name, encoder, ensemble, classLabels);
    }

    @Override
    public Map<String, String> description()
    {
        return ImmutableMap.of(
                "trees", Integer.toString(ensemble.trees().size()),
                "rounds", Integer.toString(rounds),
                "slots", String.join(",", encoder.slotNames()));
    }

    @Override
    public List<String> warnings()
    {
        return warnings;
    }
}
