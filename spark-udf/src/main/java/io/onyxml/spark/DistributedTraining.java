package io.onyxml.spark;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import io.onyxml.training.Algorithm;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOption;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.data.ClassLabels;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.encoding.FeatureStatistics;
import io.onyxml.training.linear.CoMoments;
import io.onyxml.training.linear.FittedLinear;
import io.onyxml.training.linear.LinearModel;
import io.onyxml.training.linear.LinearRegressionSolver;
import io.onyxml.training.linear.LogisticPass;
import io.onyxml.training.linear.LogisticRegressionSolver;
import io.onyxml.training.linear.Softmax;
import io.onyxml.training.metrics.ClassificationMetrics;
import io.onyxml.training.metrics.RegressionMetrics;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;

/**
 * Training over a DataFrame, distributed: every pass computes a mergeable partial per partition where the rows are
 * and Spark's {@code reduce} merges them on the driver. {@code linear_regression}: the preprocessing's statistics
 * ({@link FeatureStatistics}), the centred cross-products ({@link CoMoments}), the training metrics;
 * {@code logistic_regression}: the statistics and the classes, then one {@link LogisticPass} per Newton or
 * line-search step, then the metrics. The solvers, the ONNX export and the rules are the training module's, so the
 * model equals what Trino's {@code train_model} trains on the same rows.
 */
final class DistributedTraining
{
    private DistributedTraining() {}

    static TrainedModel linearRegression(Dataset<Row> rows, String model, List<TrainingColumn> features, List<Integer> featureFields, int labelField, TrainingOptions options, TrainingLimits limits)
    {
        long start = System.nanoTime();
        Columns columns = new Columns(features, featureFields, labelField, limits);
        FeatureEncoder encoder = encoder(rows, columns, options);
        LinearRegressionSolver solver = new LinearRegressionSolver(model, encoder, options.number(TrainingOption.L2));
        CoMoments moments = rows.mapPartitions((MapPartitionsFunction<Row, CoMoments>) partition -> List.of(columns.moments(partition, solver)).iterator(), Encoders.javaSerialization(CoMoments.class))
                .reduce((ReduceFunction<CoMoments>) CoMoments::merge);
        if (moments.count() == 0) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("The input of linear_regression for model '%s' has no rows with a label", model));
        }
        FittedLinear fitted = solver.solve(moments);
        LinearModel linear = fitted.model();
        RegressionMetrics metrics = rows.mapPartitions((MapPartitionsFunction<Row, RegressionMetrics>) partition -> List.of(columns.metrics(partition, linear)).iterator(), Encoders.javaSerialization(RegressionMetrics.class))
                .reduce((ReduceFunction<RegressionMetrics>) RegressionMetrics::merge);
        return trained(Algorithm.LINEAR_REGRESSION, fitted, features, ImmutableList.of(), moments.count(), start, metrics.metrics());
    }

    static TrainedModel logisticRegression(Dataset<Row> rows, String model, List<TrainingColumn> features, List<Integer> featureFields, int labelField, TrainingOptions options, TrainingLimits limits)
    {
        long start = System.nanoTime();
        Columns columns = new Columns(features, featureFields, labelField, limits);
        String labelName = rows.schema().fields()[labelField].name();
        List<String> classes = ClassLabels.sorted(rows.select(rows.col(labelName)).where(rows.col(labelName).isNotNull()).distinct().collectAsList().stream()
                .map(row -> ClassLabels.of(row.get(0)))
                .distinct()
                .collect(toImmutableList()));
        if (classes.size() < 2) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Label '%s' has %s; logistic_regression needs at least two classes", labelName, classes.isEmpty() ? "no values" : "a single class ('" + classes.get(0) + "')"));
        }
        FeatureEncoder encoder = encoder(rows, columns, options);
        LogisticRegressionSolver solver = new LogisticRegressionSolver(model, encoder, classes, options.number(TrainingOption.L2), options.integer(TrainingOption.MAX_ITER), options.number(TrainingOption.TOLERANCE));
        long count = rows.where(rows.col(labelName).isNotNull()).count();
        boolean more = true;
        while (more) {
            LogisticRegressionSolver step = solver;
            LogisticPass pass = rows.mapPartitions((MapPartitionsFunction<Row, LogisticPass>) partition -> List.of(columns.pass(partition, step, classes)).iterator(), Encoders.javaSerialization(LogisticPass.class))
                    .reduce((ReduceFunction<LogisticPass>) LogisticPass::merge);
            more = solver.accept(pass, count);
        }
        FittedLinear fitted = solver.fitted();
        LinearModel linear = fitted.model();
        ClassificationMetrics metrics = rows.mapPartitions((MapPartitionsFunction<Row, ClassificationMetrics>) partition -> List.of(columns.classificationMetrics(partition, linear)).iterator(), Encoders.javaSerialization(ClassificationMetrics.class))
                .reduce((ReduceFunction<ClassificationMetrics>) ClassificationMetrics::merge);
        return trained(Algorithm.LOGISTIC_REGRESSION, fitted, features, classes, count, start, metrics.metrics());
    }

    /**
     * The preprocessing, learned from the statistics of every partition.
     */
    private static FeatureEncoder encoder(Dataset<Row> rows, Columns columns, TrainingOptions options)
    {
        FeatureStatistics statistics = rows.mapPartitions((MapPartitionsFunction<Row, FeatureStatistics>) partition -> List.of(columns.statistics(partition)).iterator(), Encoders.javaSerialization(FeatureStatistics.class))
                .reduce((ReduceFunction<FeatureStatistics>) FeatureStatistics::merge);
        return FeatureEncoder.fit(statistics, options.flag(TrainingOption.STANDARDIZE), true);
    }

    private static TrainedModel trained(Algorithm algorithm, FittedLinear fitted, List<TrainingColumn> features, List<String> classes, long rows, long start, Map<String, Double> metrics)
    {
        return new TrainedModel(
                algorithm,
                fitted.task(),
                fitted.onnx(),
                features.stream().map(TrainingColumn::name).collect(toImmutableList()),
                classes,
                rows,
                0,
                Duration.ofNanos(System.nanoTime() - start),
                metrics,
                Optional.empty(),
                Optional.empty(),
                fitted.warnings(),
                ImmutableMap.<String, String>builder()
                        .put("preprocessing", fitted.encoder().describe())
                        .putAll(fitted.description())
                        .buildOrThrow());
    }

    /**
     * Reads the feature and label fields of rows, checking values as the training module's table builder does.
     */
    private record Columns(List<TrainingColumn> features, List<Integer> fields, int label, TrainingLimits limits)
            implements Serializable
    {
        FeatureStatistics statistics(Iterator<Row> rows)
        {
            FeatureStatistics statistics = new FeatureStatistics(features, limits.maxCategories());
            forEachLabelled(rows, (row, values) -> {
                for (int index = 0; index < values.length; index++) {
                    if (features.get(index).isText()) {
                        statistics.addText(index, (String) values[index], limits);
                    }
                    else {
                        statistics.addNumber(index, values[index] == null ? Double.NaN : (Double) values[index]);
                    }
                }
            });
            return statistics;
        }

        CoMoments moments(Iterator<Row> rows, LinearRegressionSolver solver)
        {
            CoMoments moments = solver.newMoments();
            double[] scratch = new double[solver.scratchSize()];
            forEachEncoded(rows, solver.encoder(), (row, encoded) -> solver.add(moments, encoded, labelValue(row), scratch));
            return moments;
        }

        RegressionMetrics metrics(Iterator<Row> rows, LinearModel model)
        {
            RegressionMetrics metrics = new RegressionMetrics();
            double[] scores = new double[1];
            forEachEncoded(rows, model.encoder(), (row, encoded) -> {
                model.scores(encoded, scores);
                metrics.add(labelValue(row), scores[0]);
            });
            return metrics;
        }

        LogisticPass pass(Iterator<Row> rows, LogisticRegressionSolver solver, List<String> classes)
        {
            LogisticPass pass = solver.newPass();
            double[] scratch = new double[solver.scratchSize()];
            Map<String, Integer> classIndexes = indexes(classes);
            forEachEncoded(rows, solver.encoder(), (row, encoded) -> solver.add(pass, encoded, classIndexes.getOrDefault(ClassLabels.of(row.get(label)), -1), scratch));
            return pass;
        }

        ClassificationMetrics classificationMetrics(Iterator<Row> rows, LinearModel model)
        {
            ClassificationMetrics metrics = new ClassificationMetrics(model.classLabels().size());
            double[] scores = new double[model.outputs()];
            double[] probabilities = new double[model.classLabels().size()];
            Map<String, Integer> classIndexes = indexes(model.classLabels());
            forEachEncoded(rows, model.encoder(), (row, encoded) -> {
                model.scores(encoded, scores);
                model.probabilities(scores, probabilities);
                metrics.add(classIndexes.getOrDefault(ClassLabels.of(row.get(label)), -1), Softmax.argMax(probabilities), probabilities);
            });
            return metrics;
        }

        /**
         * Every row with a label, its features read (and checked) into one reused array.
         */
        private void forEachLabelled(Iterator<Row> rows, BiConsumer<Row, Object[]> action)
        {
            Object[] values = new Object[features.size()];
            while (rows.hasNext()) {
                Row row = rows.next();
                if (!row.isNullAt(label)) {
                    read(row, values);
                    action.accept(row, values);
                }
            }
        }

        /**
         * Every row with a label, its features encoded into one reused array.
         */
        private void forEachEncoded(Iterator<Row> rows, FeatureEncoder encoder, BiConsumer<Row, double[]> action)
        {
            double[] encoded = new double[encoder.width()];
            forEachLabelled(rows, (row, values) -> {
                encoder.encode(values, encoded);
                action.accept(row, encoded);
            });
        }

        private static Map<String, Integer> indexes(List<String> classes)
        {
            Map<String, Integer> indexes = new HashMap<>();
            for (int index = 0; index < classes.size(); index++) {
                indexes.put(classes.get(index), index);
            }
            return indexes;
        }

        private void read(Row row, Object[] values)
        {
            for (int index = 0; index < values.length; index++) {
                int field = fields.get(index);
                if (row.isNullAt(field)) {
                    values[index] = null;
                }
                else if (features.get(index).isText()) {
                    values[index] = row.getString(field);
                }
                else {
                    Object value = row.get(field);
                    double number = value instanceof Boolean flag ? (flag ? 1 : 0) : ((Number) value).doubleValue();
                    values[index] = finite(number, features.get(index).name());
                }
            }
        }

        private double labelValue(Row row)
        {
            return finite(((Number) row.get(label)).doubleValue(), "label");
        }

        private static double finite(double value, String column)
        {
            if (!Double.isFinite(value)) {
                throw new OnyxException(INVALID_TRAINING_DATA, format(
                        "Column '%s' holds %s; training accepts finite numbers only: use NULL for a missing value",
                        column,
                        value));
            }
            return value;
        }
    }
}
