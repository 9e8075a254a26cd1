package io.onyxml.training;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * What one training may use: rows, feature columns, categories per text column and time. Each engine sets them
 * from its configuration and says, in {@code hints}, how a user raises each one; exceeding one fails the training
 * before a version is written.
 */
public record TrainingLimits(long maxRows, int maxFeatures, int maxCategories, Duration maxDuration, Map<Limit, String> hints)
        implements Serializable
{
    public static final TrainingLimits DEFAULTS = new TrainingLimits(10_000_000, 1000, 1000, Duration.ofHours(1), ImmutableMap.of());

    public enum Limit
    {
        ROWS,
        FEATURES,
        CATEGORIES,
        DURATION,
    }

    public TrainingLimits
    {
        checkArgument(maxRows > 0, "maxRows must be positive");
        checkArgument(maxFeatures > 0, "maxFeatures must be positive");
        checkArgument(maxCategories > 0, "maxCategories must be positive");
        requireNonNull(maxDuration, "maxDuration is null");
        checkArgument(!maxDuration.isNegative() && !maxDuration.isZero(), "maxDuration must be positive");
        hints = ImmutableMap.copyOf(requireNonNull(hints, "hints is null"));
    }

    /**
     * A duration as SQL users write it: {@code 90s}, {@code 1500ms}.
     */
    public static String describe(Duration duration)
    {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    /**
     * Fails when a training of {@code model} would read more than {@link #maxRows()} rows.
     */
    public void checkRows(String model, long rows)
    {
        if (rows > maxRows) {
            throw exceeded(Limit.ROWS, format("Training model '%s' reads more than %s rows, the limit of rows per model", model, maxRows));
        }
    }

    /**
     * Fails when a training of {@code model} has run longer than {@link #maxDuration()}.
     */
    public void checkDuration(String model, Duration elapsed)
    {
        if (elapsed.compareTo(maxDuration) > 0) {
            throw exceeded(Limit.DURATION, format("Training model '%s' took longer than %s, the limit of training time", model, describe(maxDuration)));
        }
    }

    /**
     * The error for an exceeded limit: what was exceeded, by whom, and how to raise it.
     */
    public OnyxException exceeded(Limit limit, String what)
    {
        String hint = hints.get(limit);
        return new OnyxException(TRAINING_LIMIT_EXCEEDED, hint == null ? what : format("%s; %s", what, hint));
    }
}
