package io.onyxml.spark;

import com.google.common.collect.ImmutableMap;
import io.onyxml.store.OnyxException;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.TrainingLimits.Limit;
import org.apache.spark.sql.RuntimeConfig;

import java.time.Duration;
import java.util.Locale;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * The training limits of a Spark session: the Trino catalog's {@code onyx.training.*} properties with {@code spark.}
 * in front and their defaults, read from the session's configuration, so that {@code spark.conf.set(...)} changes
 * them for one session as Trino's session properties do. {@code max-rows} bounds what is collected on the driver
 * (gradient-boosted trees); the distributed algorithms hold no rows, so it does not bound them. The concurrency limits
 * count trainings on the driver ("per node") and, through leases in the store, across every engine that uses it.
 */
final class SparkTrainingLimits
{
    static final String MAX_ROWS = OnyxSparkConfig.PREFIX + "training.max-rows";
    static final String MAX_FEATURES = OnyxSparkConfig.PREFIX + "training.max-features";
    static final String MAX_CATEGORIES = OnyxSparkConfig.PREFIX + "training.max-categories";
    static final String MAX_DURATION = OnyxSparkConfig.PREFIX + "training.max-duration";
    static final String MAX_CONCURRENT_PER_NODE = OnyxSparkConfig.PREFIX + "training.max-concurrent-per-node";
    static final String MAX_CONCURRENT_PER_CLUSTER = OnyxSparkConfig.PREFIX + "training.max-concurrent-per-cluster";
    static final String MAX_SLOT_WAIT = OnyxSparkConfig.PREFIX + "training.max-slot-wait";

    private SparkTrainingLimits() {}

    static TrainingLimits from(RuntimeConfig conf)
    {
        return new TrainingLimits(
                number(conf, MAX_ROWS, 10_000_000, Long.MAX_VALUE),
                (int) number(conf, MAX_FEATURES, 1000, 16384),
                (int) number(conf, MAX_CATEGORIES, 1000, 1_000_000),
                duration(conf, MAX_DURATION, "1h"),
                ImmutableMap.of(
                        Limit.ROWS, hint(MAX_ROWS),
                        Limit.FEATURES, hint(MAX_FEATURES),
                        Limit.CATEGORIES, hint(MAX_CATEGORIES),
                        Limit.DURATION, hint(MAX_DURATION)));
    }

    /**
     * How many trainings this driver runs at once, and how many every engine using the store runs (unset: no limit).
     */
    static TrainingSlotSettings slots(RuntimeConfig conf)
    {
        String perCluster = conf.get(MAX_CONCURRENT_PER_CLUSTER, "").strip();
        return new TrainingSlotSettings(
                (int) number(conf, MAX_CONCURRENT_PER_NODE, 2, Integer.MAX_VALUE),
                perCluster.isEmpty() ? 0 : (int) number(conf, MAX_CONCURRENT_PER_CLUSTER, 1, Integer.MAX_VALUE),
                duration(conf, MAX_SLOT_WAIT, "10m").toMillis());
    }

    private static long number(RuntimeConfig conf, String name, long defaultValue, long maximum)
    {
        String text = conf.get(name, Long.toString(defaultValue)).strip();
        try {
            long value = Long.parseLong(text);
            if (value >= 1 && value <= maximum) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // the message below
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s=%s is invalid: expected a whole number from 1 to %s", name, text, maximum));
    }

    /**
     * A duration as the Trino property writes it: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 2h}.
     */
    private static Duration duration(RuntimeConfig conf, String name, String defaultValue)
    {
        String text = conf.get(name, defaultValue).strip().toLowerCase(Locale.ROOT);
        String[] units = {"ms", "s", "m", "h"};
        long[] millis = {1, 1000, 60_000, 3_600_000};
        for (int i = 0; i < units.length; i++) {
            String number = text.substring(0, Math.max(0, text.length() - units[i].length())).strip();
            if (text.endsWith(units[i]) && !number.isEmpty() && !Character.isLetter(number.charAt(number.length() - 1))) {
                try {
                    double value = Double.parseDouble(number) * millis[i];
                    if (value >= 1 && value < Long.MAX_VALUE) {
                        return Duration.ofMillis(Math.round(value));
                    }
                }
                catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new OnyxException(INVALID_ARGUMENT, format("%s=%s is not a positive duration: write it as 500ms, 90s, 30m or 2h", name, text));
    }

    private static String hint(String property)
    {
        return format("change it with spark.conf.set(\"%s\", ...) or --conf %s=...", property, property);
    }
}
