package io.onyxml.training.linear;

import java.io.Serializable;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Means and centred cross-products of vectors ({@code sum (v - mean)(v - mean)^T}), updated one row at a time
 * (Welford) so that badly scaled or offset columns lose no precision, and mergeable across partitions (Chan et
 * al.). Linear regression is solved from these alone.
 */
public final class CoMoments
        implements Serializable
{
    private final int size;
    private final double[] mean;
    private final double[] products;
    private final double[] delta;
    private long count;

    public CoMoments(int size)
    {
        checkArgument(size > 0, "size must be positive");
        this.size = size;
        this.mean = new double[size];
        this.products = new double[size * size];
        this.delta = new double[size];
    }

    public void add(double[] values)
    {
        count++;
        for (int i = 0; i < size; i++) {
            delta[i] = values[i] - mean[i];
            mean[i] += delta[i] / count;
        }
        for (int i = 0; i < size; i++) {
            double scaled = values[i] - mean[i];
            int offset = i * size;
            for (int j = i; j < size; j++) {
                products[offset + j] += delta[j] * scaled;
            }
        }
    }

    public CoMoments merge(CoMoments other)
    {
        checkArgument(other.size == size, "sizes differ");
        if (other.count == 0) {
            return this;
        }
        long total = count + other.count;
        double weight = (double) count * other.count / total;
        for (int i = 0; i < size; i++) {
            delta[i] = other.mean[i] - mean[i];
        }
        for (int i = 0; i < size; i++) {
            for (int j = i; j < size; j++) {
                products[i * size + j] += other.products[i * size + j] + delta[i] * delta[j] * weight;
            }
        }
        for (int i = 0; i < size; i++) {
            mean[i] += delta[i] * other.count / total;
        }
        count = total;
        return this;
    }

    public long count()
    {
        return count;
    }

    public double mean(int index)
    {
        return mean[index];
    }

    /**
     * The centred cross-product of columns i and j.
     */
    public double product(int i, int j)
    {
        return i <= j ? products[i * size + j] : products[j * size + i];
    }
}
