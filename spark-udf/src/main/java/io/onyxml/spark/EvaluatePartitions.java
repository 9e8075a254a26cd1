package io.onyxml.spark;

import io.onyxml.inference.PredictionPlan;
import io.onyxml.inference.Predictor;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.store.PinnedModel;
import io.onyxml.training.evaluation.EvaluationMetrics;
import io.onyxml.training.evaluation.ModelEvaluator;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static io.onyxml.inference.BindingMode.BY_NAME;
import static java.util.Objects.requireNonNull;

/**
 * Evaluates the rows of one partition, a batch at a time, into one mergeable partial.
 */
final class EvaluatePartitions
        implements Partials.Summary<EvaluationMetrics>
{
    private final OnyxSparkConfig config;
    private final PinnedModel model;
    private final List<Integer> channels;
    private final List<String> names;
    private final List<ColumnType> types;
    private final int labelField;
    private final ColumnType labelType;
    private final int batchSize;

    EvaluatePartitions(OnyxSparkConfig config, PinnedModel model, List<Integer> channels, List<String> names, List<ColumnType> types, int labelField, ColumnType labelType, int batchSize)
    {
        this.config = requireNonNull(config, "config is null");
        this.model = requireNonNull(model, "model is null");
        this.channels = new ArrayList<>(channels);
        this.names = new ArrayList<>(names);
        this.types = new ArrayList<>(types);
        this.labelField = labelField;
        this.labelType = labelType;
        this.batchSize = batchSize;
    }

    @Override
    public EvaluationMetrics of(Iterator<Row> input)
    {
        ExecutorModels models = ExecutorModels.get(config);
        PredictionPlan plan = models.plan(model, names, types, BY_NAME);
        Predictor predictor = models.engine().predictor(plan);
        ModelEvaluator evaluator = new ModelEvaluator(predictor, labelField >= 0);
        int rowsPerBatch = predictor.batchRows(batchSize);
        List<Row> batch = new ArrayList<>(rowsPerBatch);
        while (input.hasNext()) {
            batch.add(input.next());
            if (batch.size() == rowsPerBatch || !input.hasNext()) {
                ColumnBatch.Builder features = ColumnBatch.builder(batch.size());
                for (int i = 0; i < channels.size(); i++) {
                    features.add(names.get(i), RowColumns.column(batch, channels.get(i), types.get(i)));
                }
                evaluator.add(features.build(), labelField < 0 ? Optional.empty() : Optional.of(RowColumns.column(batch, labelField, labelType)));
                batch.clear();
            }
        }
        return evaluator.partial();
    }
}
