package io.onyxml.inference;

import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Fast paths for the common case of scoring: every row selected, no NULLs, and all sources of one floating-point
 * type. Values go straight into the direct buffer ONNX Runtime reads; scalar columns are interleaved into rows four
 * columns at a time (writing rows in order is what makes the transposition cheap), and a row-major array of the
 * tensor's own type is copied in one block.
 */
final class ColumnPacking
{
    private ColumnPacking() {}

    /**
     * Writes the values for a float tensor and returns true, or returns false (writing nothing) when no fast path
     * applies.
     */
    static boolean packFloats(Column[] sources, int[] index, int count, FloatBuffer out, int stride)
    {
        if (index != null) {
            return false;
        }
        if (allWithoutNulls(sources, FloatColumn.class)) {
            float[][] columns = new float[sources.length][];
            for (int k = 0; k < sources.length; k++) {
                columns[k] = ((FloatColumn) sources[k]).values();
            }
            if (columns.length == 1 && stride == 1) {
                out.put(0, columns[0], 0, count);
                return true;
            }
            interleave(columns, count, out, stride);
            return true;
        }
        if (allWithoutNulls(sources, DoubleColumn.class)) {
            double[][] columns = new double[sources.length][];
            for (int k = 0; k < sources.length; k++) {
                columns[k] = ((DoubleColumn) sources[k]).values();
            }
            interleave(columns, count, out, stride);
            return true;
        }
        return false;
    }

    /**
     * Writes the values for a double tensor and returns true, or returns false (writing nothing) when no fast path
     * applies.
     */
    static boolean packDoubles(Column[] sources, int[] index, int count, DoubleBuffer out, int stride)
    {
        if (index != null || !allWithoutNulls(sources, DoubleColumn.class)) {
            return false;
        }
        double[][] columns = new double[sources.length][];
        for (int k = 0; k < sources.length; k++) {
            columns[k] = ((DoubleColumn) sources[k]).values();
        }
        if (columns.length == 1 && stride == 1) {
            out.put(0, columns[0], 0, count);
            return true;
        }
        int k = 0;
        for (; k + 4 <= columns.length; k += 4) {
            double[] c0 = columns[k];
            double[] c1 = columns[k + 1];
            double[] c2 = columns[k + 2];
            double[] c3 = columns[k + 3];
            for (int i = 0; i < count; i++) {
                int base = i * stride + k;
                out.put(base, c0[i]);
                out.put(base + 1, c1[i]);
                out.put(base + 2, c2[i]);
                out.put(base + 3, c3[i]);
            }
        }
        for (; k < columns.length; k++) {
            double[] c0 = columns[k];
            for (int i = 0; i < count; i++) {
                out.put(i * stride + k, c0[i]);
            }
        }
        return true;
    }

    private static void interleave(float[][] columns, int count, FloatBuffer out, int stride)
    {
        int k = 0;
        for (; k + 4 <= columns.length; k += 4) {
            float[] c0 = columns[k];
            float[] c1 = columns[k + 1];
            float[] c2 = columns[k + 2];
            float[] c3 = columns[k + 3];
            for (int i = 0; i < count; i++) {
                int base = i * stride + k;
                out.put(base, c0[i]);
                out.put(base + 1, c1[i]);
                out.put(base + 2, c2[i]);
                out.put(base + 3, c3[i]);
            }
        }
        for (; k < columns.length; k++) {
            float[] c0 = columns[k];
            for (int i = 0; i < count; i++) {
                out.put(i * stride + k, c0[i]);
            }
        }
    }

    private static void interleave(double[][] columns, int count, FloatBuffer out, int stride)
    {
        int k = 0;
        for (; k + 4 <= columns.length; k += 4) {
            double[] c0 = columns[k];
            double[] c1 = columns[k + 1];
            double[] c2 = columns[k + 2];
            double[] c3 = columns[k + 3];
            for (int i = 0; i < count; i++) {
                int base = i * stride + k;
                out.put(base, (float) c0[i]);
                out.put(base + 1, (float) c1[i]);
                out.put(base + 2, (float) c2[i]);
                out.put(base + 3, (float) c3[i]);
            }
        }
        for (; k < columns.length; k++) {
            double[] c0 = columns[k];
            for (int i = 0; i < count; i++) {
                out.put(i * stride + k, (float) c0[i]);
            }
        }
    }

    private static boolean allWithoutNulls(Column[] sources, Class<? extends Column> type)
    {
        for (Column source : sources) {
            if (!type.isInstance(source) || source.nulls().isPresent()) {
                return false;
            }
        }
        return true;
    }
}
