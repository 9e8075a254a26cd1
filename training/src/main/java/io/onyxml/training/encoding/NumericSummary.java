package io.onyxml.training.encoding;

import java.io.Serializable;

/**
 * Count, mean and sum of squared deviations of the non-NULL values of a column (Welford's update); two summaries
 * of disjoint rows merge into the summary of their union (Chan et al.), so engines can summarise partitions
 * separately.
 */
public final class NumericSummary
        implements Serializable
{
    private long count;
    private double mean;
    private double squaredDeviations;

    public void add(double value)
    {
        if (Double.isNaN(value)) {
            return;
        }
        count++;
        double delta = value - mean;
        mean += delta / count;
        squaredDeviations += delta * (value - mean);
    }

    public void merge(NumericSummary other)
    {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            mean = other.mean;
            squaredDeviations = other.squaredDeviations;
            return;
        }
        long total = count + other.count;
        double delta = other.mean - mean;
        mean += delta * other.count / total;
        squaredDeviations += other.squaredDeviations + delta * delta * ((double) count * other.count / total);
        count = total;
    }

    public long count()
    {
        return count;
    }

    /**
     * The mean of the values, 0 when there are none.
     */
    public double mean()
    {
        return mean;
    }

    /**
     * The population standard deviation (divided by the count, as scikit-learn's {@code StandardScaler}).
     */
    public double standardDeviation()
    {
        return Math.sqrt(variance());
    }

    /**
     * The population variance, 0 when there are no values.
     */
    public double variance()
    {
        return count == 0 ? 0 : squaredDeviations / count;
    }
}
