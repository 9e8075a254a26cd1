package io.onyxml.spark;

import io.onyxml.store.OnyxException;
import io.onyxml.training.Algorithm;
import io.onyxml.training.FittedModel;
import io.onyxml.training.RowCounts;
import io.onyxml.training.TrainedModel;
import io.onyxml.training.TrainingChecks;
import io.onyxml.training.TrainingInput;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingOption;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.kmeans.FittedKMeans;
import io.onyxml.training.kmeans.KMeansPass;
import io.onyxml.training.kmeans.KMeansSolver;
import io.onyxml.training.linear.CoMoments;
import io.onyxml.training.linear.FittedLinear;
import io.onyxml.training.linear.LinearModel;
import io.onyxml.training.linear.LinearRegressionSolver;
import io.onyxml.training.linear.LogisticPass;
import io.onyxml.training.linear.LogisticRegressionSolver;
import io.onyxml.training.linear.Softmax;
import io.onyxml.training.metrics.ClassificationMetrics;
import io.onyxml.training.metrics.ClusteringMetrics;
import io.onyxml.training.metrics.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.util.Objects.requireNonNull;

/**
 * Training over a DataFrame, distributed: every pass summarises each partition where it is into a mergeable partial
 * of the training module, merged by Spark's tree aggregation ({@link Partials}); the driver only solves. The first
 * pass counts the rows, learns the preprocessing's statistics and the classes ({@link InputSummary}); then
 * {@code linear_regression} takes the centred cross-products ({@link CoMoments}), {@code logistic_regression} one
 * {@link LogisticPass} per Newton or line-search step, {@code kmeans} one {@link KMeansPass} per k-means++ draw,
 * candidate scoring or Lloyd iteration; a last pass computes the metrics of the training and the held-out rows. The
 * rows held out by {@code test_fraction} are the core's (a hash of each row's values and the seed). The solvers, the
 * checks and the ONNX export are the training module's, so the model is what Trino's {@code train_model} trains on the
 * same rows. The time limit is checked after every pass.
 */
final class DistributedTraining
{
    private final Dataset<Row> input;
    private final boolean persist;
    private final String model;
    private final TrainingOptions options;
    private final TrainingInput columns;
    private final TrainingLimits limits;
    private final TrainingRows rows;
    private final long start = System.nanoTime();

    DistributedTraining(Dataset<Row> input, String model, TrainingOptions options, TrainingInput columns, TrainingLimits limits)
    {
        this.input = TrainingRows.select(input, columns);
        this.persist = input.storageLevel().equals(StorageLevel.NONE());
        this.model = requireNonNull(model, "model is null");
        this.options = requireNonNull(options, "options is null");
        this.columns = requireNonNull(columns, "columns is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.rows = TrainingRows.of(columns, options);
    }

    /**
     * Trains; an input that is not cached has its training columns persisted for the passes (memory, then disk, as
     * Spark MLlib's iterative algorithms do) and unpersisted after.
     */
    TrainedModel train()
    {
        if (persist) {
            input.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            return switch (options.algorithm()) {
                case LINEAR_REGRESSION -> linearRegression();
                case LOGISTIC_REGRESSION -> logisticRegression();
                case KMEANS -> kMeans();
                case GRADIENT_BOOSTED_TREES -> throw new OnyxException(UNSUPPORTED_MODEL, "gradient_boosted_trees trains on the driver, not distributed");
            };
        }
        finally {
            if (persist) {
                input.unpersist(false);
            }
        }
    }

    private TrainedModel linearRegression()
    {
        InputSummary summary = summarise();
        FeatureEncoder encoder = FeatureEncoder.fit(summary.statistics(), options.flag(TrainingOption.STANDARDIZE), true);
        LinearRegressionSolver solver = new LinearRegressionSolver(model, encoder, options.number(TrainingOption.L2));
        TrainingRows rows = this.rows;
        CoMoments moments = Partials.aggregate(input, partition -> {
            CoMoments partial = solver.newMoments();
            double[] encoded = new double[encoder.width()];
            double[] scratch = new double[solver.scratchSize()];
            rows.forEach(partition, TrainingRows.Side.TRAINING, (values, label, hash) -> {
                encoder.encode(values, encoded);
                solver.add(partial, encoded, (Double) label, scratch);
            });
            return partial;
        }, solver.newMoments(), CoMoments::merge);
        checkTime();
        FittedLinear fitted = solver.solve(moments);
        LinearModel linear = fitted.model();
        Scored<RegressionMetrics> metrics = score(encoder, RegressionMetrics::new, () -> {
            double[] scores = new double[1];
            return (partial, encoded, label) -> {
                linear.scores(encoded, scores);
                partial.add((Double) label, scores[0]);
            };
        }, RegressionMetrics::merge);
        return trained(fitted, summary.counts(), metrics.training().metrics(), metrics.test().metrics(), Optional.empty());
    }

    private TrainedModel logisticRegression()
    {
        InputSummary summary = summarise();
        List<String> classes = summary.classes().training();
        FeatureEncoder encoder = FeatureEncoder.fit(summary.statistics(), options.flag(TrainingOption.STANDARDIZE), true);
        LogisticRegressionSolver solver = new LogisticRegressionSolver(model, encoder, classes, options.number(TrainingOption.L2), options.integer(TrainingOption.MAX_ITER), options.number(TrainingOption.TOLERANCE));
        Map<String, Integer> classIndexes = indexes(classes);
        TrainingRows rows = this.rows;
        boolean more = true;
        while (more) {
            LogisticRegressionSolver step = solver;
            LogisticPass pass = Partials.aggregate(input, partition -> {
                LogisticPass partial = step.newPass();
                double[] encoded = new double[encoder.width()];
                double[] scratch = new double[step.scratchSize()];
                rows.forEach(partition, TrainingRows.Side.TRAINING, (values, label, hash) -> {
                    encoder.encode(values, encoded);
                    step.add(partial, encoded, classIndexes.get((String) label), scratch);
                });
                return partial;
            }, solver.newPass(), LogisticPass::merge);
            more = solver.accept(pass, summary.counts().trainingRows());
            checkTime();
        }
        FittedLinear fitted = solver.fitted();
        LinearModel linear = fitted.model();
        Scored<ClassificationMetrics> metrics = score(encoder, () -> new ClassificationMetrics(classes.size()), () -> {
            double[] scores = new double[linear.outputs()];
            double[] probabilities = new double[classes.size()];
            return (partial, encoded, label) -> {
                linear.scores(encoded, scores);
                linear.probabilities(scores, probabilities);
                partial.add(classIndexes.getOrDefault((String) label, -1), Softmax.argMax(probabilities), probabilities);
            };
        }, ClassificationMetrics::merge);
        return trained(fitted, summary.counts(), metrics.training().metrics(), metrics.test().metrics(), Optional.empty());
    }

    private TrainedModel kMeans()
    {
        InputSummary summary = summarise();
        FeatureEncoder encoder = FeatureEncoder.fit(summary.statistics(), false, true);
        KMeansSolver solver = new KMeansSolver(model, encoder, (int) options.integer(TrainingOption.K), options.integer(TrainingOption.N_INIT), options.integer(TrainingOption.MAX_ITER), options.number(TrainingOption.TOLERANCE));
        TrainingRows rows = this.rows;
        boolean more = true;
        while (more) {
            KMeansSolver step = solver;
            KMeansPass pass = Partials.aggregate(input, partition -> {
                KMeansPass partial = step.newPass();
                double[] encoded = new double[encoder.width()];
                rows.forEach(partition, TrainingRows.Side.TRAINING, (values, label, hash) -> {
                    encoder.encode(values, encoded);
                    step.add(partial, encoded, hash, Double.NaN);
                });
                return partial;
            }, solver.newPass(), KMeansPass::merge);
            more = solver.accept(pass);
            checkTime();
        }
        FittedKMeans fitted = solver.fitted();
        int clusters = fitted.centres().length;
        Scored<ClusteringMetrics> metrics = score(encoder, () -> new ClusteringMetrics(clusters), () -> {
            double[] distance = new double[1];
            return (partial, encoded, label) -> partial.add(fitted.nearest(encoded, distance), distance[0]);
        }, ClusteringMetrics::merge);
        return trained(fitted, summary.counts(), metrics.training().metrics(), metrics.test().metrics(), Optional.of(metrics.training().clusterSizes()));
    }

    /**
     * The first pass, and the core's checks of what it found.
     */
    private InputSummary summarise()
    {
        Algorithm algorithm = options.algorithm();
        TrainingRows rows = this.rows;
        TrainingLimits limits = this.limits;
        Optional<TrainingColumn> classLabel = columns.labelRole(algorithm) == LabelRole.CLASSES ? columns.labelColumn() : Optional.empty();
        String classes = classLabel.map(TrainingColumn::name).orElse(null);
        InputSummary summary = Partials.aggregate(input, partition -> InputSummary.of(partition, rows, classes, limits), new InputSummary(rows, classes, limits), InputSummary::merge);
        RowCounts counts = summary.counts();
        Optional<String> label = columns.labelColumn().map(TrainingColumn::name);
        TrainingChecks.checkRows(model, algorithm, label, counts.rows(), counts.skippedRows());
        if (classLabel.isPresent()) {
            TrainingChecks.checkClasses(algorithm, label.orElseThrow(), summary.classes().all());
        }
        TrainingChecks.checkTrainingRows(model, options.number(TrainingOption.TEST_FRACTION), counts.trainingRows(), counts.rows());
        if (classLabel.isPresent()) {
            TrainingChecks.checkTrainingClasses(algorithm, label.orElseThrow(), summary.classes().training());
        }
        checkTime();
        return summary;
    }

    /**
     * One pass scoring every row with the fitted model: the metrics of the training rows and of the held-out rows.
     */
    private <M> Scored<M> score(FeatureEncoder encoder, NewMetrics<M> create, NewScorer<M> newScorer, Merge<M> merge)
    {
        TrainingRows rows = this.rows;
        Scored<M> scored = Partials.aggregate(input, partition -> {
            Scored<M> partial = new Scored<>(create.get(), create.get());
            double[] encoded = new double[encoder.width()];
            Scorer<M> scorer = newScorer.get();
            rows.forEachSplit(partition, (values, label, test) -> {
                encoder.encode(values, encoded);
                scorer.add(test ? partial.test() : partial.training(), encoded, label);
            });
            return partial;
        }, new Scored<>(create.get(), create.get()), (first, second) -> new Scored<>(merge.apply(first.training(), second.training()), merge.apply(first.test(), second.test())));
        checkTime();
        return scored;
    }

    private TrainedModel trained(FittedModel fitted, RowCounts counts, Map<String, Double> metrics, Map<String, Double> testMetrics, Optional<List<Long>> clusterSizes)
    {
        return TrainedModel.of(
                options,
                fitted,
                columns.featureColumns().stream().map(TrainingColumn::name).collect(toImmutableList()),
                counts,
                elapsed(),
                metrics,
                counts.testRows() == 0 ? Optional.empty() : Optional.of(testMetrics),
                clusterSizes);
    }

    private void checkTime()
    {
        limits.checkDuration(model, elapsed());
    }

    private Duration elapsed()
    {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Map<String, Integer> indexes(List<String> classes)
    {
        Map<String, Integer> indexes = new HashMap<>();
        for (int index = 0; index < classes.size(); index++) {
            indexes.put(classes.get(index), index);
        }
        return indexes;
    }

    /**
     * The metrics of the training rows and of the held-out rows.
     */
    private record Scored<M>(M training, M test)
            implements Serializable
    {
        Scored
        {
            requireNonNull(training, "training is null");
            requireNonNull(test, "test is null");
        }
    }

    private interface NewMetrics<M>
            extends Serializable
    {
        M get();
    }

    /**
     * A scorer for one partition, with scratch arrays of its own, so that no row allocates.
     */
    private interface NewScorer<M>
            extends Serializable
    {
        Scorer<M> get();
    }

    private interface Scorer<M>
    {
        void add(M metrics, double[] encoded, Object label);
    }

    private interface Merge<M>
            extends Serializable
    {
        M apply(M first, M second);
    }
}
