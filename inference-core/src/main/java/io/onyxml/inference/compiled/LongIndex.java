package io.onyxml.inference.compiled;

import java.util.Arrays;

/**
 * A map from long keys to non-negative ints, built when a model is compiled and read per row without boxing:
 * open addressing with linear probing.
 */
final class LongIndex
{
    private final long[] keys;
    private final int[] values;
    private final int mask;

    LongIndex(int capacity)
    {
        int slots = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) * 2;
        keys = new long[slots];
        values = new int[slots];
        Arrays.fill(values, -1);
        mask = slots - 1;
    }

    /**
     * Maps the key to the value unless it is mapped already.
     */
    void putIfAbsent(long key, int value)
    {
        int slot = slot(key);
        if (values[slot] < 0) {
            keys[slot] = key;
            values[slot] = value;
        }
    }

    void put(long key, int value)
    {
        int slot = slot(key);
        keys[slot] = key;
        values[slot] = value;
    }

    /**
     * @return the value of the key, or -1
     */
    int get(long key)
    {
        return values[slot(key)];
    }

    private int slot(long key)
    {
        int slot = (int) mix(key) & mask;
        while (values[slot] >= 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long mix(long key)
    {
        long hash = key * 0x9E3779B97F4A7C15L;
        return hash ^ (hash >>> 32);
    }
}
