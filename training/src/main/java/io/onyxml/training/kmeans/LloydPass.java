package io.onyxml.training.kmeans;

/**
 * One Lloyd iteration's sums: per cluster the sum of its rows and their count, and the inertia against the
 * centres the rows were assigned with. Mergeable across partitions.
 */
final class LloydPass
{
    final double[][] sums;
    final long[] counts;
    double inertia;

    LloydPass(int clusters, int width)
    {
        sums = new double[clusters][width];
        counts = new long[clusters];
    }

    void add(double[] row, int cluster, double squaredDistance)
    {
        double[] sum = sums[cluster];
        for (int i = 0; i < row.length; i++) {
            sum[i] += row[i];
        }
        counts[cluster]++;
        inertia += squaredDistance;
    }

    void merge(LloydPass other)
    {
        for (int cluster = 0; cluster < counts.length; cluster++) {
            for (int i = 0; i < sums[cluster].length; i++) {
                sums[cluster][i] += other.sums[cluster][i];
            }
            counts[cluster] += other.counts[cluster];
        }
        inertia += other.inertia;
    }
}
