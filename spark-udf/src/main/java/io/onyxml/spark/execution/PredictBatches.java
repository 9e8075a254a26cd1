package io.onyxml.spark.execution;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ScalarCall;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.spark.ScalaCollections;
import io.onyxml.spark.functions.PredictExpression;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Scores one partition: collects up to {@code batchSize} rows, keeping their columns read above the operator and
 * their features (each evaluated by one generated projection), calls each model once for them, and returns each
 * row's kept columns followed by the calls' values.
 */
final class PredictBatches
        implements FlatMapFunction<Iterator<InternalRow>, InternalRow>
{
    private final List<PredictExpression> calls;
    private final Seq<Attribute> input;
    private final Seq<Attribute> passThrough;
    private final Seq<Attribute> results;
    private final int batchSize;
    private final SQLMetric outputRows;
    private final SQLMetric modelCalls;

    PredictBatches(List<PredictExpression> calls, Seq<Attribute> input, Seq<Attribute> passThrough, Seq<Attribute> results, int batchSize, SQLMetric outputRows, SQLMetric modelCalls)
    {
        this.calls = ImmutableList.copyOf(calls);
        this.input = requireNonNull(input, "input is null");
        this.passThrough = requireNonNull(passThrough, "passThrough is null");
        this.results = requireNonNull(results, "results is null");
        this.batchSize = batchSize;
        this.outputRows = requireNonNull(outputRows, "outputRows is null");
        this.modelCalls = requireNonNull(modelCalls, "modelCalls is null");
    }

    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> rows)
    {
        List<ScalarCall> prepared = calls.stream().map(PredictExpression::prepare).toList();
        // the batch of the smallest device's size when several models are called
        int rowsPerBatch = prepared.stream().mapToInt(call -> call.batchRows(batchSize)).min().orElse(Predictor.CPU_BATCH_ROWS);
        List<Expression> features = new ArrayList<>();
        calls.forEach(call -> features.addAll(call.features()));
        UnsafeProjection featureProjection = UnsafeProjection.create(CollectionConverters.asScala(features).toSeq(), input);
        // only the columns read above are kept while a batch is scored
        UnsafeProjection keptProjection = UnsafeProjection.create(ScalaCollections.seq(new ArrayList<Expression>(CollectionConverters.asJava(passThrough))), input);
        // an aggregation of predictions keeps no column: one empty row stands for every row
        InternalRow nothingKept = passThrough.isEmpty() ? keptProjection.apply(new GenericInternalRow(input.size())).copy() : null;
        Seq<Attribute> output = ScalaCollections.concat(passThrough, results);
        UnsafeProjection outputProjection = UnsafeProjection.create(ScalaCollections.seq(new ArrayList<Expression>(CollectionConverters.asJava(output))), output);
        return new Iterator<>()
        {
            private final List<InternalRow> batch = new ArrayList<>(rowsPerBatch);
            private final List<Column> values = new ArrayList<>(prepared.size());
            private final GenericInternalRow resultRow = new GenericInternalRow(prepared.size());
            private final JoinedRow joinedRow = new JoinedRow();
            private int next;

            @Override
            public boolean hasNext()
            {
                if (next < batch.size()) {
                    return true;
                }
                if (!rows.hasNext()) {
                    return false;
                }
                score();
                return true;
            }

            @Override
            public InternalRow next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int row = next++;
                for (int call = 0; call < values.size(); call++) {
                    resultRow.update(call, CatalystValues.value(values.get(call), row));
                }
                return outputProjection.apply(joinedRow.apply(batch.get(row), resultRow));
            }

            private void score()
            {
                batch.clear();
                next = 0;
                List<FeatureColumns.Builder> builders = new ArrayList<>(features.size());
                for (int i = 0; i < prepared.size(); i++) {
                    for (InputColumn column : prepared.get(i).layout()) {
                        builders.add(FeatureColumns.builder(column.type(), rowsPerBatch));
                    }
                }
                while (batch.size() < rowsPerBatch && rows.hasNext()) {
                    InternalRow row = rows.next();
                    batch.add(nothingKept != null ? nothingKept : keptProjection.apply(row).copy());
                    InternalRow projected = featureProjection.apply(row);
                    for (int feature = 0; feature < builders.size(); feature++) {
                        builders.get(feature).add(projected, feature);
                    }
                }
                outputRows.add(batch.size());
                values.clear();
                int feature = 0;
                for (ScalarCall call : prepared) {
                    ColumnBatch.Builder columns = ColumnBatch.builder(batch.size());
                    for (InputColumn column : call.layout()) {
                        columns.add(column.name(), builders.get(feature++).build());
                    }
                    values.add(call.score(columns.build()));
                    modelCalls.add(1);
                }
            }
        };
    }
}
