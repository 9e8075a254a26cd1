package io.onyxml.spark;

import io.onyxml.training.RowCounts;
import io.onyxml.training.TrainingLimits;
import io.onyxml.training.data.LabelClasses;
import io.onyxml.training.encoding.FeatureStatistics;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The first pass of a distributed training, per partition and merged: the rows counted (training, held out, left out
 * for a NULL label), the preprocessing's statistics of the training rows and, for a label read as classes, its
 * classes.
 */
final class InputSummary
        implements Serializable
{
    private final FeatureStatistics statistics;
    private final LabelClasses classes;
    private RowCounts counts = new RowCounts(0, 0, 0);

    /**
     * @param classLabel the label's name when it is read as classes, else null
     */
    InputSummary(TrainingRows rows, String classLabel, TrainingLimits limits)
    {
        this.statistics = new FeatureStatistics(rows.features(), limits.maxCategories());
        this.classes = classLabel == null ? null : new LabelClasses(classLabel, limits);
    }

    static InputSummary of(Iterator<Row> partition, TrainingRows rows, String classLabel, TrainingLimits limits)
    {
        InputSummary summary = new InputSummary(rows, classLabel, limits);
        long[] sides = new long[2];
        long skipped = rows.forEachSplit(partition, (values, label, test) -> {
            sides[test ? 1 : 0]++;
            if (summary.classes != null) {
                summary.classes.add((String) label, !test);
            }
            if (!test) {
                for (int index = 0; index < values.length; index++) {
                    if (rows.features().get(index).isText()) {
                        summary.statistics.addText(index, (String) values[index], limits);
                    }
                    else {
                        summary.statistics.addNumber(index, values[index] == null ? Double.NaN : (Double) values[index]);
                    }
                }
            }
        });
        summary.counts = new RowCounts(sides[0], sides[1], skipped);
        return summary;
    }

    InputSummary merge(InputSummary other)
    {
        statistics.merge(other.statistics);
        if (classes != null) {
            classes.merge(other.classes);
        }
        counts = counts.merge(other.counts);
        return this;
    }

    FeatureStatistics statistics()
    {
        return statistics;
    }

    LabelClasses classes()
    {
        return classes;
    }

    RowCounts counts()
    {
        return counts;
    }
}
