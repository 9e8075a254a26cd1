package io.onyxml.training;

import com.google.common.base.Ticker;
import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.data.ClassLabels;
import io.onyxml.training.data.TrainTestSplit;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.kmeans.KMeansFit;
import io.onyxml.training.linear.LinearRegressionFit;
import io.onyxml.training.linear.LogisticRegressionFit;
import io.onyxml.training.trees.GradientBoostedTreesFit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.training.TrainingOption.K;
import static io.onyxml.training.TrainingOption.L2;
import static io.onyxml.training.TrainingOption.MAX_ITER;
import static io.onyxml.training.TrainingOption.N_INIT;
import static io.onyxml.training.TrainingOption.SEED;
import static io.onyxml.training.TrainingOption.STANDARDIZE;
import static io.onyxml.training.TrainingOption.TEST_FRACTION;
import static io.onyxml.training.TrainingOption.TOLERANCE;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * One training from a collected {@link TrainingTable} to a {@link TrainedModel}, in bounded steps: an engine calls
 * {@link #advance()} until it returns false and can stop in between (a cancelled query writes nothing). The
 * time limit is checked at every step.
 */
public final class TrainingRun
{
    private final String model;
    private final TrainingOptions options;
    private final TrainingTable table;
    private final TrainingLimits limits;
    private final Ticker ticker;
    private final long start;
    private final TrainTestSplit split;
    private final Fit fit;
    private TrainedModel result;

    public TrainingRun(String model, TrainingOptions options, TrainingTable table, TrainingLimits limits, Ticker ticker)
    {
        this.model = requireNonNull(model, "model is null");
        this.options = requireNonNull(options, "options is null");
        this.table = requireNonNull(table, "table is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.start = ticker.read();
        FeatureNames.check(table.features().stream().map(TrainingColumn::name).collect(toImmutableList()));
        checkTable();
        TrainTestSplit drawn = TrainTestSplit.of(table, options.number(TEST_FRACTION), options.integer(SEED));
        // XGBoost's trees depend on the order of the rows (its quantile sketch, its sums, its subsampling): the rows go
        // in an order fixed by their values, so every engine trains the same trees from the same rows
        this.split = options.algorithm() == Algorithm.GRADIENT_BOOSTED_TREES ? drawn.inHashOrder(table, options.integer(SEED)) : drawn;
        TrainingChecks.checkTrainingRows(model, options.number(TEST_FRACTION), split.trainingRows().length, table.rows());
        this.fit = createFit();
    }

    private void checkTable()
    {
        Algorithm algorithm = options.algorithm();
        if (table.features().isEmpty()) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Model '%s' has no feature columns: the input needs columns besides the label", model));
        }
        TrainingChecks.checkRows(model, algorithm, table.label().map(TrainingColumn::name), table.rows(), table.skippedRows());
        if (table.label().isPresent() && table.labelNumbers().isEmpty()) {
            TrainingChecks.checkClasses(algorithm, table.label().get().name(), table.labelValues());
        }
    }

    private Fit createFit()
    {
        int[] rows = split.trainingRows();
        return switch (options.algorithm()) {
            case LINEAR_REGRESSION -> new LinearRegressionFit(model, table, rows, FeatureEncoder.fit(table, rows, options.flag(STANDARDIZE)), options.number(L2));
            case LOGISTIC_REGRESSION -> {
                List<String> classes = trainingClasses(rows);
                TrainingChecks.checkTrainingClasses(options.algorithm(), table.label().orElseThrow().name(), classes);
                yield new LogisticRegressionFit(model, table, rows, FeatureEncoder.fit(table, rows, options.flag(STANDARDIZE)), classes, options.number(L2), options.integer(MAX_ITER), options.number(TOLERANCE));
            }
            case KMEANS -> new KMeansFit(model, table, rows, FeatureEncoder.fit(table, rows, false), (int) options.integer(K), options.integer(N_INIT), options.integer(MAX_ITER), options.number(TOLERANCE), options.integer(SEED));
            case GRADIENT_BOOSTED_TREES -> {
                List<String> classes = table.labelNumbers().isPresent() ? ImmutableList.of() : trainingClasses(rows);
                if (table.labelNumbers().isEmpty()) {
                    TrainingChecks.checkTrainingClasses(options.algorithm(), table.label().orElseThrow().name(), classes);
                }
                yield new GradientBoostedTreesFit(model, table, rows, split.testRows(), FeatureEncoder.fit(table, rows, false, false), classes, options);
            }
        };
    }

    private List<String> trainingClasses(int[] rows)
    {
        boolean[] seen = new boolean[table.labelValues().size()];
        for (int row : rows) {
            seen[table.labelCodes()[row]] = true;
        }
        List<String> classes = new ArrayList<>();
        for (int code = 0; code < seen.length; code++) {
            if (seen[code]) {
                classes.add(table.labelValues().get(code));
            }
        }
        return ClassLabels.sorted(classes);
    }

    /**
     * Does the next step; false once the model is trained and {@link #result()} is ready.
     */
    public boolean advance()
    {
        if (result != null) {
            return false;
        }
        try {
            return step();
        }
        catch (RuntimeException | Error e) {
            fit.close();
            throw e;
        }
    }

    private boolean step()
    {
        Duration elapsed = elapsed();
        limits.checkDuration(model, elapsed);
        if (fit.advance()) {
            return true;
        }
        fit.close();
        FittedModel fitted = fit.fitted();
        Map<String, Double> metrics = fitted.metrics(table, split.trainingRows());
        Optional<Map<String, Double>> testMetrics = split.testRows().length == 0 ? Optional.empty() : Optional.of(fitted.metrics(table, split.testRows()));
        result = TrainedModel.of(
                options,
                fitted,
                table.features().stream().map(TrainingColumn::name).collect(toImmutableList()),
                new RowCounts(split.trainingRows().length, split.testRows().length, table.skippedRows()),
                elapsed(),
                metrics,
                testMetrics,
                fitted.clusterSizes());
        return false;
    }

    public TrainedModel result()
    {
        return requireNonNull(result, "the training has not finished");
    }

    /**
     * Runs every step at once, for callers that need not stop in between.
     */
    public TrainedModel run()
    {
        while (advance()) {
            // each step checks the time limit
        }
        return result();
    }

    private Duration elapsed()
    {
        return Duration.ofNanos(ticker.read() - start);
    }
}
