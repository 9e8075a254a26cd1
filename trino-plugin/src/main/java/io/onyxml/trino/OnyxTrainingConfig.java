package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.Duration;
import io.airlift.units.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MINUTES;

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
    static final String MAX_CONCURRENT_PER_NODE = "onyx.training.max-concurrent-per-node";
    static final String MAX_CONCURRENT_PER_CLUSTER = "onyx.training.max-concurrent-per-cluster";
    static final String MAX_SLOT_WAIT = "onyx.training.max-slot-wait";

    private boolean enabled = true;
    private long maxRows = 10_000_000;
    private int maxFeatures = 1000;
    private int maxCategories = 1000;
    private Duration maxDuration = new Duration(1, HOURS);
    private int maxConcurrentPerNode = 2;
    private Integer maxConcurrentPerCluster;
    private Duration maxSlotWait = new Duration(10, MINUTES);

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

    @Min(1)
    public int getMaxConcurrentPerNode()
    {
        return maxConcurrentPerNode;
    }

    @Config(MAX_CONCURRENT_PER_NODE)
    @ConfigDescription("Most models this catalog trains at once on one node; more wait for a slot")
    public OnyxTrainingConfig setMaxConcurrentPerNode(int maxConcurrentPerNode)
    {
        this.maxConcurrentPerNode = maxConcurrentPerNode;
        return this;
    }

    @Min(1)
    public Integer getMaxConcurrentPerCluster()
    {
        return maxConcurrentPerCluster;
    }

    @Config(MAX_CONCURRENT_PER_CLUSTER)
    @ConfigDescription("Most models trained at once by every node and engine that uses the model store, counted by leases in the store; unset for no limit. Set the same number wherever the store is used")
    public OnyxTrainingConfig setMaxConcurrentPerCluster(Integer maxConcurrentPerCluster)
    {
        this.maxConcurrentPerCluster = maxConcurrentPerCluster;
        return this;
    }

    @NotNull
    @MinDuration("1ms")
    public Duration getMaxSlotWait()
    {
        return maxSlotWait;
    }

    @Config(MAX_SLOT_WAIT)
    @ConfigDescription("Longest time a training waits for a slot under the concurrency limits before it fails")
    public OnyxTrainingConfig setMaxSlotWait(Duration maxSlotWait)
    {
        this.maxSlotWait = maxSlotWait;
        return this;
    }
}
