package io.onyxml.training.data;

/**
 * How the label column is read: as numbers to regress on, as classes, or not at all (clustering).
 */
public enum LabelRole
{
    NUMBERS,
    CLASSES,
    NONE,
}
