package io.onyxml.store.access;

/**
 * What a user may do with a model, each granted on its own.
 */
public enum ModelPrivilege
{
    /**
     * Score with it ({@code predict} in every form, {@code evaluate}), and see it and its versions in the catalog
     * tables.
     */
    READ,
    /**
     * Add versions to it ({@code register_model}, {@code train_model}); creates the model if it does not exist.
     */
    CREATE,
    /**
     * Move and drop its aliases, drop its versions or the whole model, remove its orphan files.
     */
    MANAGE,
}
