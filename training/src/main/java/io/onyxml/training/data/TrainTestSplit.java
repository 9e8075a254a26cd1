package io.onyxml.training.data;

import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Which rows are held out for test metrics: a row is held out when a 64-bit hash of its values (every feature and
 * the label) and the seed, read as a fraction of 2^64, is below {@code testFraction}. So the split depends only on
 * the rows' contents and the seed, not on their order or on how an engine partitions them; equal rows land on the
 * same side.
 */
public record TrainTestSplit(int[] trainingRows, int[] testRows)
{
    public static TrainTestSplit of(TrainingTable table, double testFraction, long seed)
    {
        checkArgument(testFraction >= 0 && testFraction < 1, "testFraction must be in [0, 1)");
        int rows = table.rows();
        if (testFraction == 0) {
            int[] all = new int[rows];
            Arrays.setAll(all, row -> row);
            return new TrainTestSplit(all, new int[0]);
        }
        int[] training = new int[rows];
        int[] test = new int[rows];
        int trainingCount = 0;
        int testCount = 0;
        double threshold = testFraction;
        for (int row = 0; row < rows; row++) {
            long hash = hash(table, row, seed);
            double unit = (hash >>> 11) * 0x1.0p-53;
            if (unit < threshold) {
                test[testCount++] = row;
            }
            else {
                training[trainingCount++] = row;
            }
        }
        return new TrainTestSplit(Arrays.copyOf(training, trainingCount), Arrays.copyOf(test, testCount));
    }

    static long hash(TrainingTable table, int row, long seed)
    {
        long hash = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (int feature = 0; feature < table.features().size(); feature++) {
            long value;
            if (table.features().get(feature).isText()) {
                value = table.categories(feature).get(table.codes(feature)[row]).hashCode();
            }
            else {
                double number = table.numbers(feature)[row];
                value = Double.isNaN(number) ? 0x7ff8000000000000L : Double.doubleToLongBits(number == 0 ? 0.0 : number);
            }
            hash = mix(hash ^ value) + feature;
        }
        if (table.labelNumbers().isPresent()) {
            hash = mix(hash ^ Double.doubleToLongBits(table.labelNumbers().get()[row] == 0 ? 0.0 : table.labelNumbers().get()[row]));
        }
        else if (table.label().isPresent()) {
            hash = mix(hash ^ table.labelValues().get(table.labelCodes()[row]).hashCode());
        }
        return mix(hash);
    }

    /**
     * The finaliser of SplitMix64: a bijection whose output bits each depend on every input bit.
     */
    private static long mix(long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
