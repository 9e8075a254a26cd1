package io.onyxml.training.metrics;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * inertia (the sum of squared distances of rows to their cluster centre) and the size of each cluster.
 */
public final class ClusteringMetrics
        implements Serializable
{
    private final long[] sizes;
    private long count;
    private double inertia;

    public ClusteringMetrics(int clusters)
    {
        this.sizes = new long[clusters];
    }

    public void add(int cluster, double squaredDistance)
    {
        count++;
        sizes[cluster]++;
        inertia += squaredDistance;
    }

    public ClusteringMetrics merge(ClusteringMetrics other)
    {
        for (int k = 0; k < sizes.length; k++) {
            sizes[k] += other.sizes[k];
        }
        count += other.count;
        inertia += other.inertia;
        return this;
    }

    public long count()
    {
        return count;
    }

    public List<Long> clusterSizes()
    {
        ImmutableList.Builder<Long> list = ImmutableList.builder();
        for (long size : sizes) {
            list.add(size);
        }
        return list.build();
    }

    public Map<String, Double> metrics()
    {
        return count == 0 ? ImmutableMap.of() : ImmutableMap.of(MetricNames.INERTIA, inertia);
    }
}
