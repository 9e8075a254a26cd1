package io.onyxml.spark;

import io.onyxml.store.ModelStore;
import io.onyxml.training.TrainingSlots;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The concurrency limits of Spark trainings as set in a session; equal settings share one {@link TrainingSlots} per
 * driver.
 *
 * @param perCluster 0 for no limit across the store's users
 */
record TrainingSlotSettings(int perNode, int perCluster, long maxWaitMillis)
{
    TrainingSlots slots(ModelStore store)
    {
        return new TrainingSlots(
                perNode,
                perCluster == 0 ? OptionalInt.empty() : OptionalInt.of(perCluster),
                store,
                Duration.ofMillis(maxWaitMillis),
                new TrainingSlots.Settings(SparkTrainingLimits.MAX_CONCURRENT_PER_NODE, SparkTrainingLimits.MAX_CONCURRENT_PER_CLUSTER, SparkTrainingLimits.MAX_SLOT_WAIT));
    }
}
