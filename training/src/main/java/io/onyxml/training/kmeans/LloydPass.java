package io.onyxml.training.kmeans;

import java.io.Serializable;

/**
 * One Lloyd iteration's sums: per cluster the sum of its rows, their count and a fingerprint of which rows they are
 * (the wrapping sum of their {@code RowHash}es, so that an unchanged assignment is recognised however the rows were
 * split), the inertia against the centres the rows were assigned with, and the rows farthest from their centre (to
 * restart empty clusters). Mergeable across partitions.
 */
final class LloydPass
        implements Serializable
{
    final double[][] sums;
    final long[] counts;
    final long[] fingerprints;
    final FarthestRows farthest;
    double inertia;

    LloydPass(int clusters, int width)
    {
        sums = new double[clusters][width];
        counts = new long[clusters];
        fingerprints = new long[clusters];
        // at most k - 1 clusters can be empty
        farthest = new FarthestRows(clusters - 1);
    }

    void add(double[] row, int cluster, double squaredDistance, long hash)
    {
        double[] sum = sums[cluster];
        for (int i = 0; i < row.length; i++) {
            sum[i] += row[i];
        }
        counts[cluster]++;
        fingerprints[cluster] += hash;
        inertia += squaredDistance;
        farthest.offer(squaredDistance, hash, row);
    }

    void merge(LloydPass other)
    {
        for (int cluster = 0; cluster < counts.length; cluster++) {
            for (int i = 0; i < sums[cluster].length; i++) {
                sums[cluster][i] += other.sums[cluster][i];
            }
            counts[cluster] += other.counts[cluster];
            fingerprints[cluster] += other.fingerprints[cluster];
        }
        inertia += other.inertia;
        farthest.merge(other.farthest);
    }
}
