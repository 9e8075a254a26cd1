package io.onyxml.spark.execution;

import com.google.common.collect.ImmutableMap;
import io.onyxml.spark.ScalaCollections;
import io.onyxml.spark.functions.PredictExpression;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.execution.metric.SQLMetrics;
import scala.collection.Iterable;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Map;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The child's columns the operator above reads followed by the values of predict calls, calling each model once per batch of
 * {@code spark.onyx.batch-size} rows (see {@link PredictBatches}). It is no part of whole-stage code generation: the
 * stage ends below it and starts again above it.
 */
public final class BatchPredictExec
        extends SparkPlan
        implements Serializable
{
    static final String OUTPUT_ROWS = "numOutputRows";
    static final String MODEL_CALLS = "modelCalls";

    private final Seq<Expression> predictions;
    private final Seq<Attribute> results;
    private final Seq<Attribute> passThrough;
    private final SparkPlan child;
    private final int batchSize;
    private transient Map<String, SQLMetric> metrics;

    public BatchPredictExec(Seq<Expression> predictions, Seq<Attribute> results, Seq<Attribute> passThrough, SparkPlan child, int batchSize)
    {
        this.predictions = requireNonNull(predictions, "predictions is null");
        this.results = requireNonNull(results, "results is null");
        this.passThrough = requireNonNull(passThrough, "passThrough is null");
        this.child = requireNonNull(child, "child is null");
        this.batchSize = batchSize;
    }

    public int batchSize()
    {
        return batchSize;
    }

    @Override
    public RDD<InternalRow> doExecute()
    {
        List<PredictExpression> calls = CollectionConverters.asJava(predictions).stream().map(PredictExpression.class::cast).toList();
        PredictBatches batches = new PredictBatches(calls, child.output(), passThrough, results, batchSize, longMetric(OUTPUT_ROWS), longMetric(MODEL_CALLS));
        return child.execute().toJavaRDD().mapPartitions(batches).rdd();
    }

    @Override
    public Map<String, SQLMetric> metrics()
    {
        if (metrics == null) {
            metrics = scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(ImmutableMap.of(
                    OUTPUT_ROWS, SQLMetrics.createMetric(sparkContext(), "number of output rows"),
                    MODEL_CALLS, SQLMetrics.createMetric(sparkContext(), "number of model calls"))));
        }
        return metrics;
    }

    @Override
    public Seq<Attribute> output()
    {
        return ScalaCollections.concat(passThrough, results);
    }

    @Override
    @SuppressWarnings("unchecked")
    public AttributeSet producedAttributes()
    {
        return AttributeSet.apply((Iterable<Expression>) (Iterable<?>) results);
    }

    @Override
    public Seq<SparkPlan> children()
    {
        return CollectionConverters.asScala(List.of(child)).toSeq();
    }

    @Override
    public SparkPlan withNewChildrenInternal(IndexedSeq<SparkPlan> newChildren)
    {
        return new BatchPredictExec(predictions, results, passThrough, newChildren.apply(0), batchSize);
    }

    @Override
    public int productArity()
    {
        return 5;
    }

    @Override
    public Object productElement(int index)
    {
        return switch (index) {
            case 0 -> predictions;
            case 1 -> results;
            case 2 -> passThrough;
            case 3 -> child;
            case 4 -> batchSize;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    @Override
    public boolean canEqual(Object other)
    {
        return other instanceof BatchPredictExec;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof BatchPredictExec that
                && predictions.equals(that.predictions)
                && results.equals(that.results)
                && passThrough.equals(that.passThrough)
                && child.equals(that.child)
                && batchSize == that.batchSize;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(predictions, results, passThrough, child, batchSize);
    }
}
