package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.HOURS;

/**
 * Whether {@code train_model} may run, and the default limits of one training; session properties override the
 * limits per query.
 */
public class OnyxTrainingConfig
{
    static final String ENABLED = "onyx.training.enabled";
    static final String MAX_ROWS = "onyx.training.max-rows";
    static final String MAX_FEATURES = "onyx.training.max-features";
    static final String MAX_CATEGORIES = "onyx.training.max-categories";
    static final String MAX_DURATION = "onyx.training.max-duration";

    private boolean enabled = true;
    private long maxRows = 10_000_000;
    private int maxFeatures = 1000;
    private int maxCategories = 1000;
    private Duration maxDuration = new Duration(1, HOURS);

    public boolean isEnabled()
    {
        return enabled;
    }

    @Config(ENABLED)
    @ConfigDescription("Allow train_model in this catalog")
    public OnyxTrainingConfig setEnabled(boolean enabled)
    {
        this.enabled = enabled;
        return this;
    }

    @Min(1)
    @Max(Integer.MAX_VALUE - 8)
    public long getMaxRows()
    {
        return maxRows;
    }

    @Config(MAX_ROWS)
    @ConfigDescription("Most rows one model trains on; the rows are held in memory on one node per model (session property training_max_rows)")
    public OnyxTrainingConfig setMaxRows(long maxRows)
    {
        this.maxRows = maxRows;
        return this;
    }

    @Min(1)
    @Max(16384)
    public int getMaxFeatures()
    {
        return maxFeatures;
    }

    @Config(MAX_FEATURES)
    @ConfigDescription("Most feature columns of one training (session property training_max_features)")
    public OnyxTrainingConfig setMaxFeatures(int maxFeatures)
    {
        this.maxFeatures = maxFeatures;
        return this;
    }

    @Min(2)
    @Max(1_000_000)
    public int getMaxCategories()
    {
        return maxCategories;
    }

    @Config(MAX_CATEGORIES)
    @ConfigDescription("Most distinct values of a varchar feature or of a class label in one training (session property training_max_categories)")
    public OnyxTrainingConfig setMaxCategories(int maxCategories)
    {
        this.maxCategories = maxCategories;
        return this;
    }

    @NotNull
    @MinDuration("1s")
    public Duration getMaxDuration()
    {
        return maxDuration;
    }

    @Config(MAX_DURATION)
    @ConfigDescription("Longest time one training may run, checked after every pass over the rows (session property training_max_duration)")
    public OnyxTrainingConfig setMaxDuration(Duration maxDuration)
    {
        this.maxDuration = maxDuration;
        return this;
    }
}
