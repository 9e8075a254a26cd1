package io.onyxml.training;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.ModelNames;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnyxException;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.training.TrainingOption.COLSAMPLE_BYTREE;
import static io.onyxml.training.TrainingOption.DEVICE;
import static io.onyxml.training.TrainingOption.EARLY_STOPPING_ROUNDS;
import static io.onyxml.training.TrainingOption.K;
import static io.onyxml.training.TrainingOption.L2;
import static io.onyxml.training.TrainingOption.LEARNING_RATE;
import static io.onyxml.training.TrainingOption.MAX_DEPTH;
import static io.onyxml.training.TrainingOption.MAX_ITER;
import static io.onyxml.training.TrainingOption.MIN_CHILD_WEIGHT;
import static io.onyxml.training.TrainingOption.NUM_TREES;
import static io.onyxml.training.TrainingOption.N_INIT;
import static io.onyxml.training.TrainingOption.REG_LAMBDA;
import static io.onyxml.training.TrainingOption.SEED;
import static io.onyxml.training.TrainingOption.STANDARDIZE;
import static io.onyxml.training.TrainingOption.SUBSAMPLE;
import static io.onyxml.training.TrainingOption.TEST_FRACTION;
import static io.onyxml.training.TrainingOption.TOLERANCE;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * The algorithms of {@code train_model}, each with its options and their defaults.
 */
public enum Algorithm
{
    LINEAR_REGRESSION("linear_regression", true, ImmutableMap.<TrainingOption, Object>builder()
            .put(L2, 0.0)
            .put(STANDARDIZE, false)
            .put(TEST_FRACTION, 0.0)
            .put(SEED, 42L)
            .buildOrThrow()),
    LOGISTIC_REGRESSION("logistic_regression", true, ImmutableMap.<TrainingOption, Object>builder()
            .put(L2, 1.0)
            .put(STANDARDIZE, true)
            .put(MAX_ITER, 100L)
            .put(TOLERANCE, 1e-8)
            .put(TEST_FRACTION, 0.0)
            .put(SEED, 42L)
            .buildOrThrow()),
    GRADIENT_BOOSTED_TREES("gradient_boosted_trees", true, ImmutableMap.<TrainingOption, Object>builder()
            .put(NUM_TREES, 100L)
            .put(MAX_DEPTH, 6L)
            .put(LEARNING_RATE, 0.3)
            .put(SUBSAMPLE, 1.0)
            .put(COLSAMPLE_BYTREE, 1.0)
            .put(MIN_CHILD_WEIGHT, 1.0)
            .put(REG_LAMBDA, 1.0)
            .put(EARLY_STOPPING_ROUNDS, 0L)
            .put(DEVICE, "cpu")
            .put(TEST_FRACTION, 0.0)
            .put(SEED, 42L)
            .buildOrThrow()),
    KMEANS("kmeans", false, ImmutableMap.<TrainingOption, Object>builder()
            .put(K, 8L)
            .put(N_INIT, 1L)
            .put(MAX_ITER, 300L)
            .put(TOLERANCE, 1e-4)
            .put(TEST_FRACTION, 0.0)
            .put(SEED, 42L)
            .buildOrThrow());

    private final String algorithmName;
    private final boolean needsLabel;
    private final Map<TrainingOption, Object> defaults;

    Algorithm(String algorithmName, boolean needsLabel, Map<TrainingOption, Object> defaults)
    {
        this.algorithmName = algorithmName;
        this.needsLabel = needsLabel;
        this.defaults = defaults;
    }

    public String algorithmName()
    {
        return algorithmName;
    }

    public boolean needsLabel()
    {
        return needsLabel;
    }

    /**
     * The options this algorithm takes, with their defaults, in documentation order.
     */
    public Map<TrainingOption, Object> defaults()
    {
        return defaults;
    }

    /**
     * What the trained model predicts; for the linear and tree models it depends on the label (numbers that are
     * not classes give regression).
     */
    public ModelTask task(boolean classificationLabel)
    {
        return switch (this) {
            case LINEAR_REGRESSION -> ModelTask.REGRESSION;
            case LOGISTIC_REGRESSION -> ModelTask.CLASSIFICATION;
            case GRADIENT_BOOSTED_TREES -> classificationLabel ? ModelTask.CLASSIFICATION : ModelTask.REGRESSION;
            case KMEANS -> ModelTask.CLUSTERING;
        };
    }

    public static Algorithm fromName(String name)
    {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(algorithm -> algorithm.algorithmName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new OnyxException(INVALID_ARGUMENT, format(
                        "Unknown algorithm '%s': use one of %s",
                        name == null ? "" : ModelNames.printable(name),
                        Arrays.stream(values()).map(Algorithm::algorithmName).collect(joining(", ")))));
    }
}
