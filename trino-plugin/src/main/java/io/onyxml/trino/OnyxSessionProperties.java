package io.onyxml.trino;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Inject;
import io.airlift.units.Duration;
import io.onyxml.training.TrainingLimits;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.session.PropertyMetadata;

import java.util.List;

import static io.trino.plugin.base.session.PropertyMetadataUtil.durationProperty;
import static io.trino.spi.StandardErrorCode.INVALID_SESSION_PROPERTY;
import static io.trino.spi.session.PropertyMetadata.integerProperty;
import static io.trino.spi.session.PropertyMetadata.longProperty;
import static java.lang.String.format;

/**
 * The catalog's session properties: per-query overrides of the training limits, defaulting to the catalog's
 * {@code onyx.training.*} values.
 */
public final class OnyxSessionProperties
{
    public static final String TRAINING_MAX_ROWS = "training_max_rows";
    public static final String TRAINING_MAX_FEATURES = "training_max_features";
    public static final String TRAINING_MAX_CATEGORIES = "training_max_categories";
    public static final String TRAINING_MAX_DURATION = "training_max_duration";

    private final List<PropertyMetadata<?>> properties;

    @Inject
    public OnyxSessionProperties(OnyxTrainingConfig config)
    {
        properties = ImmutableList.of(
                longProperty(TRAINING_MAX_ROWS, "Most rows one model trains on", config.getMaxRows(), value -> checkPositive(TRAINING_MAX_ROWS, value, Integer.MAX_VALUE - 8), false),
                integerProperty(TRAINING_MAX_FEATURES, "Most feature columns of one training", config.getMaxFeatures(), value -> checkPositive(TRAINING_MAX_FEATURES, value, 16384), false),
                integerProperty(TRAINING_MAX_CATEGORIES, "Most distinct values of a varchar feature or class label in one training", config.getMaxCategories(), value -> checkRange(TRAINING_MAX_CATEGORIES, value, 2, 1_000_000), false),
                durationProperty(TRAINING_MAX_DURATION, "Longest time one training may run", config.getMaxDuration(), value -> checkRange(TRAINING_MAX_DURATION, value.toMillis(), 1, Long.MAX_VALUE), false));
    }

    public List<PropertyMetadata<?>> properties()
    {
        return properties;
    }

    /**
     * The limits of a training in this session, with hints that name the session properties.
     */
    public static TrainingLimits trainingLimits(ConnectorSession session, String catalog)
    {
        Duration duration = session.getProperty(TRAINING_MAX_DURATION, Duration.class);
        return new TrainingLimits(
                session.getProperty(TRAINING_MAX_ROWS, Long.class),
                session.getProperty(TRAINING_MAX_FEATURES, Integer.class),
                session.getProperty(TRAINING_MAX_CATEGORIES, Integer.class),
                duration.toJavaTime(),
                ImmutableMap.of(
                        TrainingLimits.Limit.ROWS, hint(catalog, TRAINING_MAX_ROWS, OnyxTrainingConfig.MAX_ROWS),
                        TrainingLimits.Limit.FEATURES, hint(catalog, TRAINING_MAX_FEATURES, OnyxTrainingConfig.MAX_FEATURES),
                        TrainingLimits.Limit.CATEGORIES, hint(catalog, TRAINING_MAX_CATEGORIES, OnyxTrainingConfig.MAX_CATEGORIES),
                        TrainingLimits.Limit.DURATION, hint(catalog, TRAINING_MAX_DURATION, OnyxTrainingConfig.MAX_DURATION)));
    }

    private static String hint(String catalog, String property, String configProperty)
    {
        return format("change it with SET SESSION %s.%s (default from %s)", catalog, property, configProperty);
    }

    private static void checkPositive(String name, long value, long maximum)
    {
        checkRange(name, value, 1, maximum);
    }

    private static void checkRange(String name, long value, long minimum, long maximum)
    {
        if (value < minimum || value > maximum) {
            throw new TrinoException(INVALID_SESSION_PROPERTY, maximum == Long.MAX_VALUE
                    ? format("%s must be positive: %s", name, value)
                    : format("%s must be from %s to %s: %s", name, minimum, maximum, value));
        }
    }
}
