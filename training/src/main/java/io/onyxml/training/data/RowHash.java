package io.onyxml.training.data;

import io.onyxml.inference.MissingValues;

import java.util.List;

/**
 * A 64-bit hash of one row's values (every feature, then the label) and a seed, the same for the same values
 * however an engine orders or partitions its rows: the train/test split and k-means' seeding draw from it. Numbers
 * hash by their bits ({@code -0.0} as {@code 0.0}, a NULL as NaN), text by {@link String#hashCode()} (a NULL as the
 * category {@code ''}), a class label by its text form ({@link ClassLabels}); each step is mixed by the finaliser of
 * SplitMix64.
 */
public final class RowHash
{
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private RowHash() {}

    /**
     * The hash of row {@code row} of a table.
     */
    public static long of(TrainingTable table, int row, long seed)
    {
        long hash = start(seed);
        for (int feature = 0; feature < table.features().size(); feature++) {
            if (table.features().get(feature).isText()) {
                hash = text(hash, feature, table.categories(feature).get(table.codes(feature)[row]));
            }
            else {
                hash = number(hash, feature, table.numbers(feature)[row]);
            }
        }
        if (table.labelNumbers().isPresent()) {
            hash = labelNumber(hash, table.labelNumbers().get()[row]);
        }
        else if (table.label().isPresent()) {
            hash = labelText(hash, table.labelValues().get(table.labelCodes()[row]));
        }
        return finish(hash);
    }

    /**
     * The hash of a row of raw values, for engines that do not build a {@link TrainingTable}.
     *
     * @param values per feature a number ({@code null} or NaN for NULL) or a text ({@code null} for NULL)
     * @param label the label as a number (read as numbers) or in its class text form (read as classes), or
     * {@code null} when the training has no label
     */
    public static long of(List<TrainingColumn> features, Object[] values, Object label, long seed)
    {
        long hash = start(seed);
        for (int feature = 0; feature < features.size(); feature++) {
            if (features.get(feature).isText()) {
                hash = text(hash, feature, (String) values[feature]);
            }
            else {
                hash = number(hash, feature, values[feature] == null ? Double.NaN : ((Number) values[feature]).doubleValue());
            }
        }
        if (label instanceof String text) {
            hash = labelText(hash, text);
        }
        else if (label != null) {
            hash = labelNumber(hash, ((Number) label).doubleValue());
        }
        return finish(hash);
    }

    /**
     * The hash read as a fraction in [0, 1).
     */
    public static double unit(long hash)
    {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /**
     * A second, independent draw from the same hash: one per {@code stream}.
     */
    public static long derive(long hash, long stream)
    {
        return mix(hash ^ mix(stream * GOLDEN_GAMMA + GOLDEN_GAMMA));
    }

    private static long start(long seed)
    {
        return mix(seed ^ GOLDEN_GAMMA);
    }

    private static long number(long hash, int feature, double value)
    {
        long bits = Double.isNaN(value) ? 0x7ff8000000000000L : Double.doubleToLongBits(value == 0 ? 0.0 : value);
        return mix(hash ^ bits) + feature;
    }

    private static long text(long hash, int feature, String value)
    {
        return mix(hash ^ (value == null ? MissingValues.TEXT : value).hashCode()) + feature;
    }

    private static long labelNumber(long hash, double value)
    {
        return mix(hash ^ Double.doubleToLongBits(value == 0 ? 0.0 : value));
    }

    private static long labelText(long hash, String value)
    {
        return mix(hash ^ value.hashCode());
    }

    private static long finish(long hash)
    {
        return mix(hash);
    }

    /**
     * The finaliser of SplitMix64: a bijection whose output bits each depend on every input bit.
     */
    static long mix(long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
