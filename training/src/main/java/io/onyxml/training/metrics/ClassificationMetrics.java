package io.onyxml.training.metrics;

import com.google.common.collect.ImmutableMap;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * accuracy, log_loss, f1_macro and (for two classes) auc of a classifier, accumulated row by row and mergeable.
 * Classes are indexes into the model's class labels; a true class the model does not know, or a predicted label
 * outside its classes, is {@code -1} (always wrong; an unknown truth has probability 0). log_loss clips
 * probabilities to {@code [1e-15, 1 - 1e-15]}; f1_macro averages F1 over the classes that occur as truth or
 * prediction; auc is the probability that a positive row (the second class) scores above a negative one, ties
 * counting half (the area under the ROC curve). Memory: three counts per class, and for auc one score per row
 * (8 bytes; beyond 2^31 rows auc is left out).
 */
public final class ClassificationMetrics
        implements Serializable
{
    private static final double EPSILON = 1e-15;
    private static final int MAX_SCORES = Integer.MAX_VALUE - 8;

    private final int classes;
    private final long[] truePositives;
    private final long[] actual;
    private final long[] predictedCounts;
    private long count;
    private double logLoss;
    private double[] positiveScores = new double[0];
    private double[] negativeScores = new double[0];
    private int positives;
    private int negatives;
    private boolean scoresOverflowed;

    public ClassificationMetrics(int classes)
    {
        checkArgument(classes >= 1, "classes must be positive");
        this.classes = classes;
        this.truePositives = new long[classes];
        this.actual = new long[classes];
        this.predictedCounts = new long[classes];
    }

    /**
     * @param truth the true class, or -1 for a value the model has no class for
     * @param predicted the predicted class, or -1 for a label outside the model's classes
     * @param probabilities the predicted probability of each class, or null when the model gives none
     */
    public void add(int truth, int predicted, double[] probabilities)
    {
        count++;
        if (truth >= 0) {
            actual[truth]++;
            if (truth == predicted) {
                truePositives[truth]++;
            }
        }
        if (predicted >= 0) {
            predictedCounts[predicted]++;
        }
        if (probabilities == null) {
            logLoss = Double.NaN;
            return;
        }
        double probability = truth < 0 ? 0 : probabilities[truth];
        logLoss -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, probability)));
        if (classes == 2 && truth >= 0) {
            if (truth == 1) {
                positiveScores = append(positiveScores, positives, probabilities[1]);
                positives += scoresOverflowed ? 0 : 1;
            }
            else {
                negativeScores = append(negativeScores, negatives, probabilities[1]);
                negatives += scoresOverflowed ? 0 : 1;
            }
        }
    }

    private double[] append(double[] scores, int size, double score)
    {
        if (scoresOverflowed) {
            return scores;
        }
        double[] target = scores;
        if (size == scores.length) {
            if (size >= MAX_SCORES) {
                scoresOverflowed = true;
                return scores;
            }
            target = Arrays.copyOf(scores, (int) Math.min(MAX_SCORES, Math.max(1024L, size + (long) (size >> 1))));
        }
        target[size] = score;
        return target;
    }

    public ClassificationMetrics merge(ClassificationMetrics other)
    {
        checkArgument(other.classes == classes, "different class counts");
        for (int k = 0; k < classes; k++) {
            truePositives[k] += other.truePositives[k];
            actual[k] += other.actual[k];
            predictedCounts[k] += other.predictedCounts[k];
        }
        count += other.count;
        logLoss += other.logLoss;
        scoresOverflowed |= other.scoresOverflowed || (long) positives + other.positives > MAX_SCORES || (long) negatives + other.negatives > MAX_SCORES;
        if (!scoresOverflowed) {
            positiveScores = concat(positiveScores, positives, other.positiveScores, other.positives);
            negativeScores = concat(negativeScores, negatives, other.negativeScores, other.negatives);
            positives += other.positives;
            negatives += other.negatives;
        }
        return this;
    }

    private static double[] concat(double[] left, int leftSize, double[] right, int rightSize)
    {
        double[] result = Arrays.copyOf(left, leftSize + rightSize);
        System.arraycopy(right, 0, result, leftSize, rightSize);
        return result;
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
        for (long value : truePositives) {
            correct += value;
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
            if (actual[k] == 0 && predictedCounts[k] == 0) {
                // neither true nor predicted anywhere: no F1 to average
                continue;
            }
            present++;
            sum += 2.0 * truePositives[k] / (actual[k] + predictedCounts[k]);
        }
        return present == 0 ? 0 : sum / present;
    }

    /**
     * The Mann-Whitney statistic from the two sorted score lists: for each positive, the negatives below it plus
     * half of those equal to it.
     */
    private OptionalDouble auc()
    {
        if (classes != 2 || positives == 0 || negatives == 0 || scoresOverflowed) {
            return OptionalDouble.empty();
        }
        double[] positive = Arrays.copyOf(positiveScores, positives);
        double[] negative = Arrays.copyOf(negativeScores, negatives);
        Arrays.sort(positive);
        Arrays.sort(negative);
        double wins = 0;
        int below = 0;
        int equalEnd = 0;
        for (double score : positive) {
            while (below < negative.length && negative[below] < score) {
                below++;
            }
            equalEnd = Math.max(equalEnd, below);
            while (equalEnd < negative.length && negative[equalEnd] == score) {
                equalEnd++;
            }
            wins += below + (equalEnd - below) / 2.0;
        }
        return OptionalDouble.of(wins / ((double) positives * negatives));
    }
}
