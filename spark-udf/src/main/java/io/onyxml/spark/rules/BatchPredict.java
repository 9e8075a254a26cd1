package io.onyxml.spark.rules;

import io.onyxml.spark.ScalaCollections;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.Iterable;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Scores the child's rows with predict calls: its rows are the child's columns the operator above reads
 * ({@code passThrough}) followed by one column per call ({@code results}). Planned as {@code BatchPredictExec},
 * which calls each model once per batch of rows.
 */
public final class BatchPredict
        extends LogicalPlan
        implements Serializable
{
    private final Seq<Expression> predictions;
    private final Seq<Attribute> results;
    private final Seq<Attribute> passThrough;
    private final LogicalPlan child;

    public BatchPredict(Seq<Expression> predictions, Seq<Attribute> results, Seq<Attribute> passThrough, LogicalPlan child)
    {
        this.predictions = requireNonNull(predictions, "predictions is null");
        this.results = requireNonNull(results, "results is null");
        this.passThrough = requireNonNull(passThrough, "passThrough is null");
        this.child = requireNonNull(child, "child is null");
    }

    public Seq<Expression> predictions()
    {
        return predictions;
    }

    public Seq<Attribute> results()
    {
        return results;
    }

    public Seq<Attribute> passThrough()
    {
        return passThrough;
    }

    public LogicalPlan child()
    {
        return child;
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
    public Seq<LogicalPlan> children()
    {
        return CollectionConverters.asScala(List.of(child)).toSeq();
    }

    @Override
    public LogicalPlan withNewChildrenInternal(IndexedSeq<LogicalPlan> newChildren)
    {
        return new BatchPredict(predictions, results, passThrough, newChildren.apply(0));
    }

    @Override
    public int productArity()
    {
        return 4;
    }

    @Override
    public Object productElement(int index)
    {
        return switch (index) {
            case 0 -> predictions;
            case 1 -> results;
            case 2 -> passThrough;
            case 3 -> child;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    @Override
    public boolean canEqual(Object other)
    {
        return other instanceof BatchPredict;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof BatchPredict that
                && predictions.equals(that.predictions)
                && results.equals(that.results)
                && passThrough.equals(that.passThrough)
                && child.equals(that.child);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(predictions, results, passThrough, child);
    }
}
