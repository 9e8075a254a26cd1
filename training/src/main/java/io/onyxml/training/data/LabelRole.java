package io.onyxml.training.data;

import io.onyxml.training.Algorithm;

/**
 * How the label column is read: as numbers to regress on, as classes, or not at all (clustering).
 */
public enum LabelRole
{
    NUMBERS,
    CLASSES,
    NONE;

    /**
     * linear_regression regresses on numbers, logistic_regression classifies, gradient_boosted_trees regresses on a
     * numeric label and classifies a text or boolean one (cast numeric class codes to varchar to classify them).
     */
    public static LabelRole of(Algorithm algorithm, TrainingColumn label)
    {
        return switch (algorithm) {
            case LINEAR_REGRESSION -> NUMBERS;
            case LOGISTIC_REGRESSION -> CLASSES;
            case GRADIENT_BOOSTED_TREES -> label.type().isNumeric() ? NUMBERS : CLASSES;
            case KMEANS -> NONE;
        };
    }
}
