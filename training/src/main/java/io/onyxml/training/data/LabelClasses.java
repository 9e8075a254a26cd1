package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;
import io.onyxml.training.TrainingLimits;

import java.io.Serializable;
import java.util.List;
import java.util.TreeSet;

import static io.onyxml.training.TrainingLimits.Limit.CATEGORIES;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * The classes of a label read as classes, over every row and over the training rows, as a mergeable partial for
 * engines that see their rows in partitions; bounded by the category limit, as the table builder bounds them.
 */
public final class LabelClasses
        implements Serializable
{
    private final String label;
    private final TrainingLimits limits;
    private final TreeSet<String> all = new TreeSet<>();
    private final TreeSet<String> training = new TreeSet<>();

    public LabelClasses(String label, TrainingLimits limits)
    {
        this.label = requireNonNull(label, "label is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * @param value a class in its text form ({@link ClassLabels#of})
     */
    public void add(String value, boolean trainingRow)
    {
        if (all.add(value) && all.size() > limits.maxCategories()) {
            throw limits.exceeded(CATEGORIES, format("Label '%s' has more than %s distinct classes, the limit of categories per column", label, limits.maxCategories()));
        }
        if (trainingRow) {
            training.add(value);
        }
    }

    public LabelClasses merge(LabelClasses other)
    {
        other.all.forEach(value -> add(value, false));
        training.addAll(other.training);
        return this;
    }

    /**
     * The classes of every row read, in class order.
     */
    public List<String> all()
    {
        return ClassLabels.sorted(ImmutableList.copyOf(all));
    }

    /**
     * The classes of the training rows, in class order: the classes a model learns.
     */
    public List<String> training()
    {
        return ClassLabels.sorted(ImmutableList.copyOf(training));
    }
}
