package io.onyxml.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Buffers reused from call to call by one thread, one set per model input, grown as needed: arrays to convert values
 * into, and direct buffers that ONNX Runtime reads input tensors from without copying them.
 */
final class ScratchBuffers
{
    private ByteBuffer[] buffers = new ByteBuffer[0];
    private float[][] floats = new float[0][];
    private double[][] doubles = new double[0][];
    private long[][] longs = new long[0][];
    private int[][] ints = new int[0][];

    /**
     * A buffer of exactly {@code size} bytes (position 0, limit {@code size}) in native byte order. Its contents are
     * overwritten by the next call for the same slot.
     */
    ByteBuffer bytes(int slot, int size)
    {
        if (slot >= buffers.length) {
            buffers = Arrays.copyOf(buffers, slot + 1);
        }
        ByteBuffer buffer = buffers[slot];
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Math.max(size, buffer == null ? 0 : buffer.capacity() * 2)).order(ByteOrder.nativeOrder());
            buffers[slot] = buffer;
        }
        buffer.clear();
        buffer.limit(size);
        return buffer.slice().order(ByteOrder.nativeOrder());
    }

    /**
     * An array of at least {@code size} elements for building the values of one input.
     */
    float[] floats(int slot, int size)
    {
        if (slot >= floats.length) {
            floats = Arrays.copyOf(floats, slot + 1);
        }
        if (floats[slot] == null || floats[slot].length < size) {
            floats[slot] = new float[size];
        }
        return floats[slot];
    }

    double[] doubles(int slot, int size)
    {
        if (slot >= doubles.length) {
            doubles = Arrays.copyOf(doubles, slot + 1);
        }
        if (doubles[slot] == null || doubles[slot].length < size) {
            doubles[slot] = new double[size];
        }
        return doubles[slot];
    }

    long[] longs(int slot, int size)
    {
        if (slot >= longs.length) {
            longs = Arrays.copyOf(longs, slot + 1);
        }
        if (longs[slot] == null || longs[slot].length < size) {
            longs[slot] = new long[size];
        }
        return longs[slot];
    }

    int[] ints(int slot, int size)
    {
        if (slot >= ints.length) {
            ints = Arrays.copyOf(ints, slot + 1);
        }
        if (ints[slot] == null || ints[slot].length < size) {
            ints[slot] = new int[size];
        }
        return ints[slot];
    }
}
