package io.onyxml.spark;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainingInput;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.TrainingRun;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTableBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * {@code gradient_boosted_trees} on the driver, for data that fits one machine: the rows are counted first (more than
 * the training limit's {@code max-rows} is an error before any row is collected), then streamed to the driver a
 * partition at a time ({@code toLocalIterator}) into the training module's table, and trained by its
 * {@link TrainingRun} with XGBoost4J, as Trino's {@code train_model} trains them. The run hands XGBoost the rows in an
 * order fixed by their values, so the trees are the same whatever the DataFrame's order or partitioning.
 */
final class DriverTraining
{
    private static final int BATCH_ROWS = 4096;

    private DriverTraining() {}

    static TrainedModel train(Dataset<Row> input, String model, TrainingOptions options, TrainingInput columns, TrainingLimits limits)
    {
        Dataset<Row> rows = TrainingRows.select(input, columns);
        Dataset<Row> labelled = columns.labelColumn().map(label -> rows.where(TrainingRows.column(rows, label.name()).isNotNull())).orElse(rows);
        limits.checkRows(model, labelled.count());

        List<TrainingColumn> features = columns.featureColumns();
        TrainingTableBuilder builder = new TrainingTableBuilder(model, features, columns.labelColumn(), columns.labelRole(options.algorithm()), limits);
        List<Row> batch = new ArrayList<>(BATCH_ROWS);
        Iterator<Row> iterator = rows.toLocalIterator();
        while (iterator.hasNext()) {
            batch.add(iterator.next());
            if (batch.size() == BATCH_ROWS || !iterator.hasNext()) {
                ImmutableList.Builder<io.onyxml.inference.batch.Column> values = ImmutableList.builder();
                for (int index = 0; index < features.size(); index++) {
                    values.add(RowColumns.column(batch, index, features.get(index).type()));
                }
                Optional<io.onyxml.inference.batch.Column> label = columns.labelColumn().map(column -> RowColumns.column(batch, features.size(), column.type()));
                builder.append(values.build(), label);
                batch.clear();
            }
        }
        return new TrainingRun(model, options, builder.build(), limits, Ticker.systemTicker()).run();
    }
}
