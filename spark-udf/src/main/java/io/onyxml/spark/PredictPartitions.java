package io.onyxml.spark;

import io.onyxml.inference.BindingMode;
import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.ResultColumn;
import io.onyxml.inference.ResultColumns;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.PinnedModel;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static java.util.Objects.requireNonNull;

/**
 * Scores the rows of one partition a batch at a time: each input row followed by the model's result columns. The
 * version is the one the driver pinned (checked by checksum on the executor), and the columns bind as the driver's
 * {@link io.onyxml.inference.TableCall} decided.
 */
final class PredictPartitions
        implements MapPartitionsFunction<Row, Row>
{
    private final OnyxSparkConfig config;
    private final PinnedModel model;
    private final List<Integer> channels;
    private final List<String> names;
    private final List<ColumnType> types;
    private final BindingMode mode;
    private final int batchSize;

    PredictPartitions(OnyxSparkConfig config, PinnedModel model, List<Integer> channels, List<String> names, List<ColumnType> types, BindingMode mode, int batchSize)
    {
        this.config = requireNonNull(config, "config is null");
        this.model = requireNonNull(model, "model is null");
        this.channels = new ArrayList<>(channels);
        this.names = new ArrayList<>(names);
        this.types = new ArrayList<>(types);
        this.mode = requireNonNull(mode, "mode is null");
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input)
    {
        ExecutorModels models = ExecutorModels.get(config);
        PredictionPlan plan = models.plan(model, names, types, mode);
        List<ResultColumn> results = ResultColumns.table(plan);
        Predictor predictor = models.engine().predictor(plan);
        int rowsPerBatch = predictor.batchRows(batchSize);
        return new Iterator<>()
        {
            private Iterator<Row> scored = List.<Row>of().iterator();

            @Override
            public boolean hasNext()
            {
                while (!scored.hasNext() && input.hasNext()) {
                    scored = score(next(input)).iterator();
                }
                return scored.hasNext();
            }

            @Override
            public Row next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored.next();
            }

            private List<Row> next(Iterator<Row> rows)
            {
                List<Row> batch = new ArrayList<>(rowsPerBatch);
                while (batch.size() < rowsPerBatch && rows.hasNext()) {
                    batch.add(rows.next());
                }
                return batch;
            }

            private List<Row> score(List<Row> batch)
            {
                ColumnBatch.Builder features = ColumnBatch.builder(batch.size());
                for (int i = 0; i < channels.size(); i++) {
                    features.add(names.get(i), RowColumns.column(batch, channels.get(i), types.get(i)));
                }
                ColumnBatch projected = ResultColumns.project(plan, results, predictor.predict(features.build()));
                List<Row> out = new ArrayList<>(batch.size());
                for (int row = 0; row < batch.size(); row++) {
                    Row original = batch.get(row);
                    Object[] values = new Object[original.length() + results.size()];
                    for (int field = 0; field < original.length(); field++) {
                        values[field] = original.get(field);
                    }
                    for (int column = 0; column < results.size(); column++) {
                        values[original.length() + column] = SparkValues.external(projected.column(column).value(row));
                    }
                    out.add(RowFactory.create(values));
                }
                return out;
            }
        };
    }
}
