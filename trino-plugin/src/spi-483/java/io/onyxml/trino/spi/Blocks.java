package io.onyxml.trino.spi;

import io.trino.spi.block.Bitmap;
import io.trino.spi.block.Block;
import io.trino.spi.block.LongArrayBlock;

import java.util.Optional;

/**
 * Blocks built directly from arrays.
 */
public final class Blocks
{
    private Blocks() {}

    /**
     * A block of 64-bit values; {@code nulls}, where present, flags the null positions.
     */
    public static Block longArrayBlock(int positionCount, Optional<boolean[]> nulls, long[] values)
    {
        return new LongArrayBlock(positionCount, nulls.map(flags -> validBits(positionCount, flags)), values);
    }

    private static long[] validBits(int positionCount, boolean[] nulls)
    {
        long[] valid = Bitmap.allocateWords(positionCount, false);
        for (int position = 0; position < positionCount; position++) {
            if (!nulls[position]) {
                Bitmap.set(valid, 0, position);
            }
        }
        return valid;
    }
}
