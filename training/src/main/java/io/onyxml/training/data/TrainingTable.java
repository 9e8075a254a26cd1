package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rows one training reads, held by column: numeric features as doubles (NaN marks a NULL), text features as
 * codes into their categories (a NULL is the category {@code ''}), and the label as numbers or class codes. Rows
 * whose label is NULL are not held; {@link #skippedRows()} counts them.
 */
public final class TrainingTable
{
    private final List<TrainingColumn> features;
    private final Optional<TrainingColumn> label;
    private final int rows;
    private final double[][] numbers;
    private final int[][] codes;
    private final List<List<String>> categories;
    private final double[] labelNumbers;
    private final int[] labelCodes;
    private final List<String> labelValues;
    private final long skippedRows;

    TrainingTable(
            List<TrainingColumn> features,
            Optional<TrainingColumn> label,
            int rows,
            double[][] numbers,
            int[][] codes,
            List<List<String>> categories,
            double[] labelNumbers,
            int[] labelCodes,
            List<String> labelValues,
            long skippedRows)
    {
        this.features = ImmutableList.copyOf(features);
        this.label = requireNonNull(label, "label is null");
        this.rows = rows;
        this.numbers = numbers;
        this.codes = codes;
        this.categories = ImmutableList.copyOf(categories);
        this.labelNumbers = labelNumbers;
        this.labelCodes = labelCodes;
        this.labelValues = ImmutableList.copyOf(labelValues);
        this.skippedRows = skippedRows;
    }

    public List<TrainingColumn> features()
    {
        return features;
    }

    public Optional<TrainingColumn> label()
    {
        return label;
    }

    public int rows()
    {
        return rows;
    }

    public long skippedRows()
    {
        return skippedRows;
    }

    /**
     * The values of numeric feature {@code feature}, NaN for NULL; the array may be longer than {@link #rows()}.
     */
    public double[] numbers(int feature)
    {
        return requireNonNull(numbers[feature], "not a numeric feature");
    }

    /**
     * The category codes of text feature {@code feature}; the array may be longer than {@link #rows()}.
     */
    public int[] codes(int feature)
    {
        return requireNonNull(codes[feature], "not a text feature");
    }

    /**
     * The categories of text feature {@code feature}, indexed by code.
     */
    public List<String> categories(int feature)
    {
        return categories.get(feature);
    }

    /**
     * The label as numbers (regression), or empty when the label is read as classes.
     */
    public Optional<double[]> labelNumbers()
    {
        return Optional.ofNullable(labelNumbers);
    }

    /**
     * The label of each row as a code into {@link #labelValues()} (classification).
     */
    public int[] labelCodes()
    {
        return requireNonNull(labelCodes, "the label is not read as classes");
    }

    /**
     * For each label code, the index of its value among {@code classLabels}, or -1 when it is not one of them.
     */
    public int[] classIndexes(List<String> classLabels)
    {
        int[] indexes = new int[labelValues.size()];
        for (int code = 0; code < indexes.length; code++) {
            indexes[code] = classLabels.indexOf(labelValues.get(code));
        }
        return indexes;
    }

    /**
     * The distinct label values as text (numbers without a fraction as whole numbers), indexed by code.
     */
    public List<String> labelValues()
    {
        return labelValues;
    }
}
