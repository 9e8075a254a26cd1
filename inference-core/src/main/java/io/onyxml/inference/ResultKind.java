package io.onyxml.inference;

/**
 * What an engine function asks of a model, and so which output it reads and how (see {@link ResultColumns}).
 */
public enum ResultKind
{
    /**
     * One number per row: the regression value, or a classifier's predicted class when its labels are numbers.
     */
    VALUE,
    /**
     * A classifier's predicted label as text.
     */
    LABEL,
    /**
     * A classifier's class probabilities, keyed by label.
     */
    PROBABILITIES,
    /**
     * The whole first output of the row as numbers (multi-output regression, embeddings).
     */
    VECTOR,
}
