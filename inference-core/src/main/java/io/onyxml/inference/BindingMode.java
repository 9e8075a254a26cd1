package io.onyxml.inference;

/**
 * How columns are matched to a model's inputs.
 */
public enum BindingMode
{
    /**
     * Columns fill the model's features in order (see {@link io.onyxml.store.ModelFeatures}); an array column fills a
     * whole input. Every column is used.
     */
    BY_POSITION,
    /**
     * A column named like an input fills that input; otherwise columns named like the features of an input are packed
     * into it in feature order. Names match case-insensitively; other columns are ignored.
     */
    BY_NAME,
}
