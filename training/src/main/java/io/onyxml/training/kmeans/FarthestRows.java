package io.onyxml.training.kmeans;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The {@code capacity} rows farthest from their centre, farthest first; among equally far rows the one with the
 * smaller hash, then the smaller values, comes first, so the rows kept do not depend on the order rows arrive in.
 * Mergeable.
 */
final class FarthestRows
        implements Serializable
{
    private final double[] distances;
    private final long[] hashes;
    private final double[][] rows;
    private int size;

    FarthestRows(int capacity)
    {
        distances = new double[capacity];
        hashes = new long[capacity];
        rows = new double[capacity][];
    }

    void offer(double distance, long hash, double[] row)
    {
        if (size == rows.length && !before(distance, hash, row, size - 1)) {
            return;
        }
        int at = size == rows.length ? size - 1 : size++;
        while (at > 0 && before(distance, hash, row, at - 1)) {
            distances[at] = distances[at - 1];
            hashes[at] = hashes[at - 1];
            rows[at] = rows[at - 1];
            at--;
        }
        distances[at] = distance;
        hashes[at] = hash;
        rows[at] = row.clone();
    }

    void merge(FarthestRows other)
    {
        for (int i = 0; i < other.size; i++) {
            offer(other.distances[i], other.hashes[i], other.rows[i]);
        }
    }

    int size()
    {
        return size;
    }

    /**
     * The {@code index}-th farthest row.
     */
    double[] row(int index)
    {
        return rows[index];
    }

    private boolean before(double distance, long hash, double[] row, int index)
    {
        if (distance != distances[index]) {
            return distance > distances[index];
        }
        if (hash != hashes[index]) {
            return hash < hashes[index];
        }
        return Arrays.compare(row, rows[index]) < 0;
    }
}
