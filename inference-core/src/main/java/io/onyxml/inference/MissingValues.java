package io.onyxml.inference;

import io.onyxml.store.ElementType;

/**
 * How a NULL feature reaches a model that handles missing values ({@code handles_missing_values}): as NaN in a
 * float or double input, and as the empty string in a string input, so that such models can impute them (Onyx's own
 * training does: a mean for numbers, a reserved category for text). Any other input makes the row's result NULL.
 */
public final class MissingValues
{
    /**
     * What a NULL text becomes: the empty string, so NULL and '' are the same category.
     */
    public static final String TEXT = "";

    private MissingValues() {}

    static boolean passedToModel(ElementType input)
    {
        return input.isFloatingPoint() || input == ElementType.STRING;
    }
}
