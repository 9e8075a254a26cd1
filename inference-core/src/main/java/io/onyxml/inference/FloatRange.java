package io.onyxml.inference;

import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;

/**
 * Refuses doubles too large for a float input instead of passing them on as infinity: a finite value beyond
 * ±{@value Float#MAX_VALUE} is an error that names the feature. Infinities and NaN pass unchanged, since floats
 * hold them.
 */
final class FloatRange
{
    private FloatRange() {}

    /**
     * @param index where the values of the tensor are read, or null for the first {@code count}
     */
    static void check(ModelManifest manifest, InputBinding binding, Column[] sources, int[] index, int count)
    {
        for (int k = 0; k < sources.length; k++) {
            if (sources[k] instanceof DoubleColumn column && !fitsFloats(column.values(), index, count)) {
                findCulprit(manifest, binding, k, column, index, count);
            }
        }
    }

    /**
     * One cheap pass without branches; true unless some value's magnitude exceeds the float range (infinities do).
     */
    private static boolean fitsFloats(double[] values, int[] index, int count)
    {
        double largest = 0;
        if (index == null) {
            for (int i = 0; i < count; i++) {
                largest = Math.max(largest, Math.abs(values[i]));
            }
        }
        else {
            for (int i = 0; i < count; i++) {
                largest = Math.max(largest, Math.abs(values[index[i]]));
            }
        }
        // NaN compares false, so a NaN anywhere leads to the careful pass too
        return largest <= Float.MAX_VALUE;
    }

    private static void findCulprit(ModelManifest manifest, InputBinding binding, int source, DoubleColumn column, int[] index, int count)
    {
        double[] values = column.values();
        for (int i = 0; i < count; i++) {
            int position = index == null ? i : index[i];
            double value = values[position];
            if (!column.isNull(position) && isOutOfRange(value)) {
                throw outOfRange(manifest, binding, source, value);
            }
        }
    }

    static boolean isOutOfRange(double value)
    {
        return Double.isFinite(value) && Math.abs(value) > Float.MAX_VALUE;
    }

    static OnyxException outOfRange(ModelManifest manifest, InputBinding binding, int position, double value)
    {
        return new OnyxException(INVALID_MODEL_INPUT, format(
                "Model %s feature '%s' (input '%s', %s) got %s, beyond the range of its 32-bit floats (±%s)",
                manifest.reference(),
                binding.feature(position),
                binding.input().name(),
                binding.input().typeText(),
                value,
                Float.MAX_VALUE));
    }
}
