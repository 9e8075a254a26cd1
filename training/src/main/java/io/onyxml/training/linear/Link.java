package io.onyxml.training.linear;

/**
 * How a linear model's scores become its outputs.
 */
public enum Link
{
    /** the score is the prediction (linear regression) */
    IDENTITY,
    /** one score, the probability of the second class is its logistic sigmoid (binary logistic regression) */
    SIGMOID,
    /** one score per class, the probabilities are their softmax (multinomial logistic regression) */
    SOFTMAX,
}
