package io.onyxml.spark.rules;

import com.google.common.collect.ImmutableList;
import io.onyxml.spark.functions.PredictExpression;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.AttributeSet;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Sort;
import org.apache.spark.sql.catalyst.plans.logical.Subquery;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.types.Metadata;
import scala.Function1;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractPartialFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves the predict calls of projections, filters, sorts and aggregations (grouping keys and aggregate functions'
 * inputs) into a {@link BatchPredict} below them, so that each model is called once per batch of rows instead of
 * once per row; the operator then reads each call's value as a column. Like Spark's {@code ExtractPythonUDFs}:
 * innermost calls first when calls are nested, only calls over the operator's input, and a projection on top where
 * the appended columns would otherwise show. Calls elsewhere (join conditions, functions of aggregated values) stay
 * where they are and are evaluated a row at a time.
 */
public final class BatchPredictions
        extends Rule<LogicalPlan>
{
    @Override
    public LogicalPlan apply(LogicalPlan plan)
    {
        if (plan instanceof Subquery subquery && subquery.correlated()) {
            // rewritten into a join later, and batched then
            return plan;
        }
        return plan.transformUp(new AbstractPartialFunction<>()
        {
            @Override
            public boolean isDefinedAt(LogicalPlan node)
            {
                return node instanceof Project || node instanceof Filter || node instanceof Sort || node instanceof Aggregate;
            }

            @Override
            public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 node, Function1<A1, B1> otherwise)
            {
                @SuppressWarnings("unchecked")
                B1 result = isDefinedAt(node) ? (B1) extract(node) : otherwise.apply(node);
                return result;
            }
        });
    }

    private static LogicalPlan extract(LogicalPlan node)
    {
        LogicalPlan child = node.children().head();
        Calls calls = new Calls(child.outputSet());
        if (node instanceof Aggregate aggregate) {
            CollectionConverters.asJava(aggregate.groupingExpressions()).forEach(calls::collect);
            calls.keys.addAll(calls.found);
            CollectionConverters.asJava(aggregate.aggregateExpressions()).forEach(expression -> calls.collectInAggregates((Expression) expression));
        }
        else {
            CollectionConverters.asJava(node.expressions()).forEach(calls::collect);
        }
        if (calls.found.isEmpty()) {
            return node;
        }
        List<Attribute> results = new ArrayList<>();
        for (PredictExpression call : calls.found) {
            results.add(new AttributeReference(call.prettyName(), call.dataType(), true, Metadata.empty(), NamedExpression.newExprId(), seq(List.of())));
        }
        LogicalPlan rewritten;
        if (node instanceof Aggregate aggregate) {
            List<Expression> grouping = new ArrayList<>();
            CollectionConverters.asJava(aggregate.groupingExpressions()).forEach(expression -> grouping.add(calls.replace(expression, results)));
            List<NamedExpression> aggregates = new ArrayList<>();
            CollectionConverters.asJava(aggregate.aggregateExpressions()).forEach(expression -> aggregates.add((NamedExpression) calls.replaceInAggregates((Expression) expression, results)));
            LogicalPlan input = input(child, neededBy(aggregates, grouping, calls.found));
            rewritten = aggregate.copy(seq(grouping), seq(aggregates), batch(calls.found, results, input.output(), input), aggregate.hint());
            rewritten = passingThroughOnlyWhatIsRead(rewritten, calls.found, results, input);
        }
        else {
            AttributeSet needed = node instanceof Project
                    ? calls.references().$plus$plus(node.references())
                    : calls.references().$plus$plus(child.outputSet());
            LogicalPlan input = input(child, needed);
            rewritten = node.withNewChildren(seq(List.of(batch(calls.found, results, input.output(), input)))).transformExpressions(new AbstractPartialFunction<>()
            {
                @Override
                public boolean isDefinedAt(Expression expression)
                {
                    return calls.indexOf(expression) >= 0;
                }

                @Override
                public <A1 extends Expression, B1> B1 applyOrElse(A1 expression, Function1<A1, B1> otherwise)
                {
                    int index = calls.indexOf(expression);
                    @SuppressWarnings("unchecked")
                    B1 result = index >= 0 ? (B1) results.get(index) : otherwise.apply(expression);
                    return result;
                }
            });
            if (node instanceof Project) {
                rewritten = passingThroughOnlyWhatIsRead(rewritten, calls.found, results, input);
            }
        }
        // calls around the ones just moved, if any
        LogicalPlan extracted = extract(rewritten);
        if (!extracted.output().equals(node.output())) {
            // a filter or sort passes its input through: keep the appended columns out of its output
            return new Project(seq(CollectionConverters.asJava(node.output()).stream().map(NamedExpression.class::cast).toList()), extracted);
        }
        return extracted;
    }

    /**
     * The child, reading only the columns still needed above the batching operator.
     */
    private static LogicalPlan input(LogicalPlan child, AttributeSet needed)
    {
        List<NamedExpression> kept = new ArrayList<>();
        for (Attribute attribute : CollectionConverters.asJava(child.output())) {
            if (needed.contains(attribute)) {
                kept.add(attribute);
            }
        }
        return kept.size() < child.output().size() ? new Project(seq(kept), child) : child;
    }

    /**
     * A projection or aggregation computes its own columns: the batch below it keeps only the input columns it reads
     * besides the calls, so a batch of rows holds no more than needed.
     */
    private static LogicalPlan passingThroughOnlyWhatIsRead(LogicalPlan rewritten, List<PredictExpression> calls, List<Attribute> results, LogicalPlan input)
    {
        AttributeSet read = rewritten.references();
        List<Attribute> passThrough = CollectionConverters.asJava(input.output()).stream().filter(read::contains).toList();
        return rewritten.withNewChildren(seq(List.of(batch(calls, results, seq(passThrough), input))));
    }

    private static BatchPredict batch(List<PredictExpression> calls, List<Attribute> results, Seq<Attribute> passThrough, LogicalPlan input)
    {
        return new BatchPredict(seq(ImmutableList.<Expression>copyOf(calls)), seq(results), passThrough, input);
    }

    private static AttributeSet neededBy(List<NamedExpression> aggregates, List<Expression> grouping, List<PredictExpression> calls)
    {
        List<Expression> all = new ArrayList<>();
        aggregates.forEach(aggregate -> all.add((Expression) aggregate));
        all.addAll(grouping);
        all.addAll(calls);
        AttributeSet needed = AttributeSet.apply(seq(List.<Expression>of()));
        for (Expression expression : all) {
            needed = needed.$plus$plus(expression.references());
        }
        return needed;
    }

    private static <T> Seq<T> seq(List<T> list)
    {
        return CollectionConverters.asScala(list).toSeq();
    }

    /**
     * The calls that can move below one operator: innermost, over its input columns only, not over aggregated values.
     */
    private static final class Calls
    {
        private final AttributeSet input;
        private final List<PredictExpression> found = new ArrayList<>();
        // the calls found in an aggregation's grouping keys
        private final List<PredictExpression> keys = new ArrayList<>();

        Calls(AttributeSet input)
        {
            this.input = input;
        }

        void collect(Expression expression)
        {
            if (expression instanceof PredictExpression call && !containsCall(call.children()) && !containsAggregate(call) && call.references().subsetOf(input)) {
                if (indexOf(call) < 0) {
                    found.add(call);
                }
                return;
            }
            CollectionConverters.asJava(expression.children()).forEach(this::collect);
        }

        /**
         * In an aggregation's results only the inputs of aggregate functions are per row.
         */
        void collectInAggregates(Expression expression)
        {
            if (expression instanceof AggregateExpression) {
                collect(expression);
                return;
            }
            CollectionConverters.asJava(expression.children()).forEach(this::collectInAggregates);
        }

        int indexOf(Expression expression)
        {
            for (int index = 0; index < found.size(); index++) {
                if (found.get(index).semanticEquals(expression)) {
                    return index;
                }
            }
            return -1;
        }

        AttributeSet references()
        {
            AttributeSet references = AttributeSet.apply(seq(List.<Expression>of()));
            for (PredictExpression call : found) {
                references = references.$plus$plus(call.references());
            }
            return references;
        }

        Expression replace(Expression expression, List<Attribute> results)
        {
            int index = indexOf(expression);
            if (index >= 0) {
                return results.get(index);
            }
            return expression.mapChildren(child -> replace(child, results));
        }

        /**
         * Inside aggregate functions every moved call becomes its column; outside them only the grouping keys do.
         */
        Expression replaceInAggregates(Expression expression, List<Attribute> results)
        {
            if (expression instanceof AggregateExpression) {
                return replace(expression, results);
            }
            for (PredictExpression key : keys) {
                if (key.semanticEquals(expression)) {
                    return results.get(indexOf(key));
                }
            }
            return expression.mapChildren(child -> replaceInAggregates(child, results));
        }

        private static boolean containsCall(Seq<Expression> expressions)
        {
            return CollectionConverters.asJava(expressions).stream().anyMatch(expression -> expression instanceof PredictExpression || containsCall(expression.children()));
        }

        private static boolean containsAggregate(Expression expression)
        {
            return expression instanceof AggregateExpression || CollectionConverters.asJava(expression.children()).stream().anyMatch(Calls::containsAggregate);
        }
    }
}
