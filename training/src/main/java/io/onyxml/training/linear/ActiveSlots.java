package io.onyxml.training.linear;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.OnyxException;
import io.onyxml.training.encoding.EncodedFeature;
import io.onyxml.training.encoding.FeatureEncoder;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;

/**
 * The encoded slots a linear solver works on, and why the others are left out: a column with one value in every
 * training row cannot inform the model (its weight is 0, with a warning); without a penalty, the first category of
 * each text column is the reference category (as scikit-learn's {@code OneHotEncoder(drop='first')}), because the
 * one-hot slots of a column sum to 1, like the intercept.
 */
record ActiveSlots(int[] slots, List<String> warnings)
        implements Serializable
{
    /**
     * The most parameters a solver takes: its dense normal equations or Hessian hold their square (4096 parameters:
     * 128 MiB), and a text column's categories each count.
     */
    static final int MAX_PARAMETERS = 4096;

    /**
     * Fails before allocating when a model would have more parameters than the solver takes.
     */
    static void checkParameters(String model, String algorithm, int parameters)
    {
        if (parameters > MAX_PARAMETERS) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Model '%s' would have %s parameters (one per number, boolean and text category, per class), more than the %s that %s solves; group rare categories or use fewer columns",
                    model,
                    parameters,
                    MAX_PARAMETERS,
                    algorithm));
        }
    }

    static ActiveSlots of(FeatureEncoder encoder, boolean dropFirstCategory)
    {
        List<Integer> active = new ArrayList<>();
        ImmutableList.Builder<String> warnings = ImmutableList.builder();
        for (EncodedFeature feature : encoder.features()) {
            if (feature.constant()) {
                warnings.add(format("column '%s' has the same value in every training row and is not used", feature.column().name()));
                continue;
            }
            int first = feature.firstSlot() + (feature.column().isText() && dropFirstCategory ? 1 : 0);
            for (int slot = first; slot < feature.firstSlot() + feature.width(); slot++) {
                active.add(slot);
            }
        }
        return new ActiveSlots(active.stream().mapToInt(Integer::intValue).toArray(), warnings.build());
    }

    int size()
    {
        return slots.length;
    }
}
