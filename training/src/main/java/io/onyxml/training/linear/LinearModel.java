package io.onyxml.training.linear;

import com.google.common.collect.ImmutableList;
import io.onyxml.training.encoding.FeatureEncoder;

import java.io.Serializable;
import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * A trained linear or logistic model over the encoded rows of its {@link FeatureEncoder}: {@code scores = x W + b},
 * then the {@link Link}. {@code weights[slot][output]}; slots the solver left out have weight 0.
 */
public record LinearModel(FeatureEncoder encoder, double[][] weights, double[] intercepts, Link link, List<String> classLabels)
        implements Serializable
{
    public LinearModel
    {
        requireNonNull(encoder, "encoder is null");
        requireNonNull(weights, "weights is null");
        requireNonNull(intercepts, "intercepts is null");
        requireNonNull(link, "link is null");
        classLabels = ImmutableList.copyOf(requireNonNull(classLabels, "classLabels is null"));
        checkArgument(weights.length == encoder.width(), "%s weight rows for %s slots", weights.length, encoder.width());
    }

    public int outputs()
    {
        return intercepts.length;
    }

    public void scores(double[] encoded, double[] scores)
    {
        for (int output = 0; output < intercepts.length; output++) {
            double sum = intercepts[output];
            for (int slot = 0; slot < encoded.length; slot++) {
                sum += encoded[slot] * weights[slot][output];
            }
            scores[output] = sum;
        }
    }

    /**
     * The class probabilities of a classifier for the given scores, in the order of {@link #classLabels()}.
     */
    public void probabilities(double[] scores, double[] probabilities)
    {
        if (link == Link.SIGMOID) {
            Softmax.sigmoid(scores[0], probabilities);
            return;
        }
        checkArgument(link == Link.SOFTMAX, "not a classifier");
        Softmax.apply(scores, probabilities);
    }
}
