package io.onyxml.training;

import java.io.Serializable;

/**
 * How many rows a training used: for training, held out for test metrics, and left out for a NULL label.
 */
public record RowCounts(long trainingRows, long testRows, long skippedRows)
        implements Serializable
{
    /**
     * The rows read, training and held out.
     */
    public long rows()
    {
        return trainingRows + testRows;
    }

    public RowCounts merge(RowCounts other)
    {
        return new RowCounts(trainingRows + other.trainingRows, testRows + other.testRows, skippedRows + other.skippedRows);
    }
}
