package io.onyxml.training.evaluation;

import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelTask;
import io.onyxml.training.metrics.ClassificationMetrics;
import io.onyxml.training.metrics.MetricNames;
import io.onyxml.training.metrics.RegressionMetrics;

import java.io.Serializable;
import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The partial result of evaluating a model over some rows: mergeable, and serializable, so that an engine evaluates
 * partitions where they are and merges the partials (Spark's {@code treeAggregate}), with the metrics of the same code as
 * training.
 */
public final class EvaluationMetrics
        implements Serializable
{
    private final ModelTask task;
    private final RegressionMetrics regression;
    private final ClassificationMetrics classification;
    private double inertia;
    private boolean inertiaKnown = true;
    private long rows;

    EvaluationMetrics(ModelTask task, int classes)
    {
        this.task = task;
        this.regression = task == ModelTask.REGRESSION ? new RegressionMetrics() : null;
        this.classification = task == ModelTask.CLASSIFICATION ? new ClassificationMetrics(classes) : null;
    }

    /**
     * The partial of no rows, for an evaluation of this model.
     */
    public static EvaluationMetrics empty(ModelManifest manifest)
    {
        return new EvaluationMetrics(manifest.task(), Math.max(1, manifest.classLabels().size()));
    }

    void addRegression(double truth, double prediction)
    {
        rows++;
        regression.add(truth, prediction);
    }

    void addClassification(int truth, int predicted, double[] probabilities)
    {
        rows++;
        classification.add(truth, predicted, probabilities);
    }

    void addCluster(double nearestDistance)
    {
        rows++;
        if (Double.isNaN(nearestDistance)) {
            inertiaKnown = false;
        }
        else {
            inertia += nearestDistance * nearestDistance;
        }
    }

    /**
     * This partial and another of the same evaluation, merged into this one.
     */
    public EvaluationMetrics merge(EvaluationMetrics other)
    {
        checkArgument(other.task == task, "partials of different evaluations");
        if (regression != null) {
            regression.merge(other.regression);
        }
        if (classification != null) {
            classification.merge(other.classification);
        }
        inertia += other.inertia;
        inertiaKnown &= other.inertiaKnown;
        rows += other.rows;
        return this;
    }

    public long rows()
    {
        return rows;
    }

    public Map<String, Double> metrics()
    {
        if (regression != null) {
            return regression.metrics();
        }
        if (classification != null) {
            return classification.metrics();
        }
        return task == ModelTask.CLUSTERING && inertiaKnown && rows > 0 ? Map.of(MetricNames.INERTIA, inertia) : Map.of();
    }
}
