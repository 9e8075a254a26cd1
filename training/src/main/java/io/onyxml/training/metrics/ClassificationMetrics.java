package io.onyxml.training.metrics;

import com.google.common.collect.ImmutableMap;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * accuracy, log_loss, f1_macro and (for two classes) auc of a classifier, accumulated row by row and mergeable.
 * Classes are indexes into the model's class labels; a true class the model does not know, or a predicted label
 * outside its classes, is {@code -1} (always wrong; an unknown truth has probability 0). log_loss clips probabilities to {@code [1e-15, 1 - 1e-15]}; f1_macro averages F1 over the
 * classes that occur as truth or prediction; auc is the probability that a positive row (the second class) scores
 * above a negative one, ties counting half (the area under the ROC curve). auc keeps one score per row.
 */
public final class ClassificationMetrics
{
    private static final double EPSILON = 1e-15;

    private final int classes;
    private final long[] confusion;
    private final long[] unpredicted;
    private long count;
    private long unknownTruth;
    private double logLoss;
    private double[] positiveScores = new double[0];
    private boolean[] positives = new boolean[0];
    private int scored;

    public ClassificationMetrics(int classes)
    {
        checkArgument(classes >= 1, "classes must be positive");
        this.classes = classes;
        this.confusion = new long[classes * classes];
        this.unpredicted = new long[classes];
    }

    /**
     * @param truth the true class, or -1 for a value the model has no class for
     * @param predicted the predicted class
     * @param probabilities the predicted probability of each class, or null when the model gives none
     */
    public void add(int truth, int predicted, double[] probabilities)
    {
        count++;
        if (truth < 0) {
            unknownTruth++;
        }
        else if (predicted < 0) {
            unpredicted[truth]++;
        }
        else {
            confusion[truth * classes + predicted]++;
        }
        if (probabilities != null) {
            double probability = truth < 0 ? 0 : probabilities[truth];
            logLoss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, probability)));
            if (classes == 2 && truth >= 0) {
                if (scored == positiveScores.length) {
                    int grown = Math.max(1024, scored + (scored >> 1));
                    positiveScores = Arrays.copyOf(positiveScores, grown);
                    positives = Arrays.copyOf(positives, grown);
                }
                positiveScores[scored] = probabilities[1];
                positives[scored] = truth == 1;
                scored++;
            }
        }
        else {
            logLoss = Double.NaN;
        }
    }

    public void merge(ClassificationMetrics other)
    {
        checkArgument(other.classes == classes, "different class counts");
        for (int i = 0; i < confusion.length; i++) {
            confusion[i] += other.confusion[i];
        }
        for (int i = 0; i < classes; i++) {
            unpredicted[i] += other.unpredicted[i];
        }
        count += other.count;
        unknownTruth += other.unknownTruth;
        logLoss += other.logLoss;
        positiveScores = Arrays.copyOf(positiveScores, scored + other.scored);
        positives = Arrays.copyOf(positives, scored + other.scored);
        System.arraycopy(other.positiveScores, 0, positiveScores, scored, other.scored);
        System.arraycopy(other.positives, 0, positives, scored, other.scored);
        scored += other.scored;
    }

    public long count()
    {
        return count;
    }

    public Map<String, Double> metrics()
    {
        if (count == 0) {
            return ImmutableMap.of();
        }
        ImmutableMap.Builder<String, Double> metrics = ImmutableMap.builder();
        long correct = 0;
        for (int k = 0; k < classes; k++) {
            correct += confusion[k * classes + k];
        }
        metrics.put(MetricNames.ACCURACY, (double) correct / count);
        if (!Double.isNaN(logLoss)) {
            metrics.put(MetricNames.LOG_LOSS, logLoss / count);
        }
        auc().ifPresent(auc -> metrics.put(MetricNames.AUC, auc));
        metrics.put(MetricNames.F1_MACRO, f1Macro());
        return metrics.buildOrThrow();
    }

    private double f1Macro()
    {
        double sum = 0;
        int present = 0;
        for (int k = 0; k < classes; k++) {
            long truePositives = confusion[k * classes + k];
            long actual = unpredicted[k];
            long predicted = 0;
            for (int other = 0; other < classes; other++) {
                actual += confusion[k * classes + other];
                predicted += confusion[other * classes + k];
            }
            if (actual == 0 && predicted == 0) {
                // neither true nor predicted anywhere: no F1 to average
                continue;
            }
            present++;
            sum += 2.0 * truePositives / (actual + predicted);
        }
        return present == 0 ? 0 : sum / present;
    }

    private OptionalDouble auc()
    {
        if (classes != 2 || scored == 0) {
            return OptionalDouble.empty();
        }
        Integer[] order = new Integer[scored];
        for (int i = 0; i < scored; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (left, right) -> Double.compare(positiveScores[left], positiveScores[right]));
        // sum of the ranks of the positives, ties getting their average rank (Mann-Whitney U)
        double positiveRanks = 0;
        long positiveCount = 0;
        int start = 0;
        while (start < scored) {
            int end = start;
            while (end + 1 < scored && positiveScores[order[end + 1]] == positiveScores[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (positives[order[i]]) {
                    positiveRanks += rank;
                    positiveCount++;
                }
            }
            start = end + 1;
        }
        long negativeCount = scored - positiveCount;
        if (positiveCount == 0 || negativeCount == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((positiveRanks - positiveCount * (positiveCount + 1) / 2.0) / ((double) positiveCount * negativeCount));
    }
}
