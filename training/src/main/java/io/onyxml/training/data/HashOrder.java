package io.onyxml.training.data;

/**
 * Rows sorted by their {@link RowHash}: an order that depends only on the rows' values and the seed, for trainers
 * whose result depends on the order of their rows. Equal hashes are equal rows (but for a collision, about one
 * chance in 2^64 per pair), whose order does not matter. A three-way quicksort in place on primitive arrays: one
 * long and one int per row.
 */
final class HashOrder
{
    private static final int INSERTION_SORT_SIZE = 16;

    private HashOrder() {}

    static int[] of(TrainingTable table, int[] rows, long seed)
    {
        long[] keys = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            keys[i] = RowHash.of(table, rows[i], seed);
        }
        int[] sorted = rows.clone();
        sort(keys, sorted, 0, rows.length - 1);
        return sorted;
    }

    /**
     * Sorts {@code keys[low..high]}, moving {@code rows} along.
     */
    static void sort(long[] keys, int[] rows, int low, int high)
    {
        while (high - low >= INSERTION_SORT_SIZE) {
            long pivot = median(keys[low], keys[low + (high - low) / 2], keys[high]);
            // [low, less) < pivot, [less, i) == pivot, (greater, high] > pivot
            int less = low;
            int greater = high;
            int i = low;
            while (i <= greater) {
                if (keys[i] < pivot) {
                    swap(keys, rows, less++, i++);
                }
                else if (keys[i] > pivot) {
                    swap(keys, rows, i, greater--);
                }
                else {
                    i++;
                }
            }
            // recurse into the smaller side, loop on the larger: the stack stays logarithmic
            if (less - low < high - greater) {
                sort(keys, rows, low, less - 1);
                low = greater + 1;
            }
            else {
                sort(keys, rows, greater + 1, high);
                high = less - 1;
            }
        }
        for (int i = low + 1; i <= high; i++) {
            for (int j = i; j > low && keys[j] < keys[j - 1]; j--) {
                swap(keys, rows, j, j - 1);
            }
        }
    }

    private static long median(long a, long b, long c)
    {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void swap(long[] keys, int[] rows, int i, int j)
    {
        long key = keys[i];
        keys[i] = keys[j];
        keys[j] = key;
        int row = rows[i];
        rows[i] = rows[j];
        rows[j] = row;
    }
}
