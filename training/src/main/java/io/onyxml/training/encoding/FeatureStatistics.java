package io.onyxml.training.encoding;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.MissingValues;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.data.TrainingColumn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.training.TrainingLimits.Limit.CATEGORIES;
import static java.lang.String.format;

/**
 * What the preprocessing learns from the training rows, as a mergeable partial: per numeric column its
 * {@link NumericSummary}, per text column its distinct values (a NULL is {@code ''}), bounded by the category limit.
 * Engines that see their rows in partitions summarise each and merge; {@link FeatureEncoder#fit} turns the merged
 * statistics into the encoding, the same however the rows were split.
 */
public final class FeatureStatistics
        implements Serializable
{
    private final List<TrainingColumn> columns;
    private final int maxCategories;
    private final NumericSummary[] numbers;
    private final List<TreeSet<String>> categories;

    public FeatureStatistics(List<TrainingColumn> columns, int maxCategories)
    {
        this.columns = new ArrayList<>(columns);
        this.maxCategories = maxCategories;
        this.numbers = new NumericSummary[columns.size()];
        this.categories = new ArrayList<>();
        for (int index = 0; index < columns.size(); index++) {
            categories.add(columns.get(index).isText() ? new TreeSet<>() : null);
            if (!columns.get(index).isText()) {
                numbers[index] = new NumericSummary();
            }
        }
    }

    public List<TrainingColumn> columns()
    {
        return ImmutableList.copyOf(columns);
    }

    /**
     * Counts a number (NaN for NULL) of numeric column {@code index}.
     */
    public void addNumber(int index, double value)
    {
        numbers[index].add(value);
    }

    /**
     * Counts a text (null for NULL) of text column {@code index}.
     */
    public void addText(int index, String value, TrainingLimits limits)
    {
        TreeSet<String> values = categories.get(index);
        if (values.add(value == null ? MissingValues.TEXT : value) && values.size() > maxCategories) {
            throw limits.exceeded(CATEGORIES, format(
                    "Column '%s' has more than %s distinct values, the limit of categories per text column; group rare values in the input query",
                    columns.get(index).name(),
                    maxCategories));
        }
    }

    public FeatureStatistics merge(FeatureStatistics other)
    {
        checkArgument(other.columns.equals(columns), "statistics of different columns");
        for (int index = 0; index < columns.size(); index++) {
            if (numbers[index] != null) {
                numbers[index].merge(other.numbers[index]);
            }
            else {
                categories.get(index).addAll(other.categories.get(index));
            }
        }
        return this;
    }

    NumericSummary numbers(int index)
    {
        return numbers[index];
    }

    /**
     * The distinct values of a text column, sorted.
     */
    List<String> categories(int index)
    {
        return ImmutableList.copyOf(categories.get(index));
    }
}
