package io.onyxml.training.metrics;

import com.google.common.collect.ImmutableMap;

import java.io.Serializable;
import java.util.Map;

/**
 * r2, rmse and mae of predictions against true values, accumulated row by row and mergeable across partitions.
 * r2 is {@code 1 - SSE / SST} with SST around the mean of the true values (scikit-learn's {@code r2_score}).
 */
public final class RegressionMetrics
        implements Serializable
{
    private long count;
    private double meanTruth;
    private double truthDeviations;
    private double squaredErrors;
    private double absoluteErrors;

    public void add(double truth, double prediction)
    {
        count++;
        double delta = truth - meanTruth;
        meanTruth += delta / count;
        truthDeviations += delta * (truth - meanTruth);
        double error = truth - prediction;
        squaredErrors += error * error;
        absoluteErrors += Math.abs(error);
    }

    public RegressionMetrics merge(RegressionMetrics other)
    {
        if (other.count == 0) {
            return this;
        }
        long total = count + other.count;
        double delta = other.meanTruth - meanTruth;
        truthDeviations += other.truthDeviations + delta * delta * ((double) count * other.count / total);
        meanTruth += delta * other.count / total;
        squaredErrors += other.squaredErrors;
        absoluteErrors += other.absoluteErrors;
        count = total;
        return this;
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
        // r2 is undefined when every true value is the same (scikit-learn returns 1.0 or 0.0 then); leave it out
        if (truthDeviations > 0) {
            metrics.put(MetricNames.R2, 1 - squaredErrors / truthDeviations);
        }
        metrics.put(MetricNames.RMSE, Math.sqrt(squaredErrors / count));
        metrics.put(MetricNames.MAE, absoluteErrors / count);
        return metrics.buildOrThrow();
    }
}
