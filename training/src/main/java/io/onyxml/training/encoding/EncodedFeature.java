package io.onyxml.training.encoding;

import com.google.common.collect.ImmutableList;
import io.onyxml.training.data.TrainingColumn;

import java.io.Serializable;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How one input column becomes model inputs. A numeric column takes one slot: a NULL becomes {@code mean} (stays
 * NaN when the mean is NaN: the model handles missing values itself), then {@code (value - center) / scale}. A text column takes one slot per category of {@code vocabulary} (one-hot);
 * a value outside it (unseen in training) sets none of them.
 *
 * @param firstSlot where the column's slots start in the encoded row
 * @param constant true when the column has one value in every training row (after imputation), so it cannot
 * inform a model
 */
public record EncodedFeature(TrainingColumn column, int firstSlot, double mean, double center, double scale, List<String> vocabulary, boolean constant)
        implements Serializable
{
    public EncodedFeature
    {
        requireNonNull(column, "column is null");
        vocabulary = ImmutableList.copyOf(requireNonNull(vocabulary, "vocabulary is null"));
    }

    public int width()
    {
        return column.isText() ? vocabulary.size() : 1;
    }

    public boolean imputes()
    {
        return !Double.isNaN(mean);
    }

    public boolean isScaled()
    {
        return center != 0 || scale != 1;
    }
}
