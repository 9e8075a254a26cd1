package io.onyxml.training.data;

import java.util.Arrays;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Which rows are held out for test metrics: a row is held out when its {@link RowHash} (of every feature, the label
 * and the seed), read as a fraction of 2^64, is below {@code testFraction}. So the split depends only on
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
        for (int row = 0; row < rows; row++) {
            if (isTest(RowHash.of(table, row, seed), testFraction)) {
                test[testCount++] = row;
            }
            else {
                training[trainingCount++] = row;
            }
        }
        return new TrainTestSplit(Arrays.copyOf(training, trainingCount), Arrays.copyOf(test, testCount));
    }

    /**
     * The same split with the rows of each side sorted by their {@link RowHash}: an order that depends only on the
     * rows' values and the seed, not on how an engine delivered them, for trainers whose result depends on row order.
     */
    public TrainTestSplit inHashOrder(TrainingTable table, long seed)
    {
        return new TrainTestSplit(HashOrder.of(table, trainingRows, seed), HashOrder.of(table, testRows, seed));
    }

    /**
     * Whether the row of this {@link RowHash} is held out: the rule every engine applies to its rows.
     */
    public static boolean isTest(long rowHash, double testFraction)
    {
        return RowHash.unit(rowHash) < testFraction;
    }
}
