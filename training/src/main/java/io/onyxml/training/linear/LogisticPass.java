package io.onyxml.training.linear;

import java.io.Serializable;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The log-loss, its gradient and its Hessian at one parameter vector, summed over rows: the mergeable part of a
 * Newton step of logistic regression. Parameters are laid out per output: {@code size} weights then the intercept.
 * With one output (binary) the score is the log-odds of the second class; with K outputs (multinomial) the
 * probabilities are the softmax of the K scores.
 */
public final class LogisticPass
        implements Serializable
{
    private final int size;
    private final int outputs;
    private final int parameters;
    private final double[] theta;
    private final double[] gradient;
    private final double[] hessian;
    private final double[] scores;
    private final double[] probabilities;
    private double loss;

    LogisticPass(double[] theta, int size, int outputs)
    {
        checkArgument(theta.length == (size + 1) * outputs, "parameter count");
        this.size = size;
        this.outputs = outputs;
        this.parameters = theta.length;
        this.theta = theta;
        this.gradient = new double[parameters];
        this.hessian = new double[parameters * parameters];
        this.scores = new double[outputs];
        this.probabilities = new double[outputs];
    }

    /**
     * @param x the active slots of one encoded row
     * @param truth the class index: 0 or 1 for binary, 0..K-1 for multinomial
     */
    void add(double[] x, int truth)
    {
        int stride = size + 1;
        for (int output = 0; output < outputs; output++) {
            int offset = output * stride;
            double score = theta[offset + size];
            for (int i = 0; i < size; i++) {
                score += theta[offset + i] * x[i];
            }
            scores[output] = score;
        }
        if (outputs == 1) {
            double score = scores[0];
            // log(1 + e^s) - y s, without overflow
            loss += (score > 0 ? score + Math.log1p(Math.exp(-score)) : Math.log1p(Math.exp(score))) - (truth == 1 ? score : 0);
            double positive = 1 / (1 + Math.exp(-score));
            double residual = positive - truth;
            double weight = positive * (1 - positive);
            accumulate(0, 0, x, residual, weight);
            return;
        }
        loss += Softmax.logSumExp(scores) - scores[truth];
        Softmax.apply(scores, probabilities);
        for (int k = 0; k < outputs; k++) {
            double residual = probabilities[k] - (k == truth ? 1 : 0);
            for (int l = k; l < outputs; l++) {
                double weight = k == l ? probabilities[k] * (1 - probabilities[k]) : -probabilities[k] * probabilities[l];
                accumulate(k, l, x, k == l ? residual : Double.NaN, weight);
            }
        }
    }

    /**
     * Adds {@code residual * [x, 1]} to the gradient of output k (when k == l) and {@code weight [x,1][x,1]^T} to the
     * Hessian block (k, l) and its mirror.
     */
    private void accumulate(int k, int l, double[] x, double residual, double weight)
    {
        int stride = size + 1;
        if (k == l) {
            int offset = k * stride;
            for (int i = 0; i < size; i++) {
                gradient[offset + i] += residual * x[i];
            }
            gradient[offset + size] += residual;
        }
        for (int i = 0; i <= size; i++) {
            double xi = i == size ? 1 : x[i];
            if (xi == 0) {
                continue;
            }
            double scaled = weight * xi;
            int rowOffset = (k * stride + i) * parameters + l * stride;
            for (int j = 0; j < size; j++) {
                hessian[rowOffset + j] += scaled * x[j];
            }
            hessian[rowOffset + size] += scaled;
        }
    }

    public LogisticPass merge(LogisticPass other)
    {
        loss += other.loss;
        for (int i = 0; i < parameters; i++) {
            gradient[i] += other.gradient[i];
        }
        for (int i = 0; i < hessian.length; i++) {
            hessian[i] += other.hessian[i];
        }
        return this;
    }

    double loss()
    {
        return loss;
    }

    double[] gradient()
    {
        return gradient;
    }

    /**
     * The full symmetric Hessian; only blocks (k, l) with k <= l were accumulated, so they are mirrored here.
     */
    double hessian(int row, int column)
    {
        int stride = size + 1;
        int rowBlock = row / stride;
        int columnBlock = column / stride;
        if (rowBlock <= columnBlock) {
            return hessian[row * parameters + column];
        }
        return hessian[column * parameters + row];
    }
}
