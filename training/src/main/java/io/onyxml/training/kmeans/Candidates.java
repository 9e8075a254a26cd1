package io.onyxml.training.kmeans;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per trial, the row with the smallest key seen: k-means++'s draws as a race, mergeable across partitions. Among rows
 * with equal keys the smaller hash, then the smaller values, wins, so the winner does not depend on the order rows
 * arrive in.
 */
final class Candidates
        implements Serializable
{
    private final double[] keys;
    private final long[] hashes;
    private final double[][] rows;

    Candidates(int trials)
    {
        keys = new double[trials];
        Arrays.fill(keys, Double.POSITIVE_INFINITY);
        hashes = new long[trials];
        rows = new double[trials][];
    }

    void offer(int trial, double key, long hash, double[] row)
    {
        if (rows[trial] != null && !before(trial, key, hash, row)) {
            return;
        }
        keys[trial] = key;
        hashes[trial] = hash;
        rows[trial] = row.clone();
    }

    void merge(Candidates other)
    {
        for (int trial = 0; trial < keys.length; trial++) {
            if (other.rows[trial] != null) {
                offer(trial, other.keys[trial], other.hashes[trial], other.rows[trial]);
            }
        }
    }

    /**
     * The winner of a trial, null when no row took part.
     */
    double[] row(int trial)
    {
        return rows[trial];
    }

    private boolean before(int trial, double key, long hash, double[] row)
    {
        if (key != keys[trial]) {
            return key < keys[trial];
        }
        if (hash != hashes[trial]) {
            return hash < hashes[trial];
        }
        return Arrays.compare(row, rows[trial]) < 0;
    }
}
