package io.onyxml.inference.compiled;

/**
 * The values of one row while a compiled model evaluates it: numbers (float, double, int64, int32 and bool values,
 * floats rounded to float precision, bools as 0 and 1) in one array and text in another, each value at the offset
 * its {@link Value} names. One frame per thread; it is reused row after row, so evaluating allocates nothing.
 */
public final class Frame
{
    final double[] numbers;
    final String[] texts;
    // scratch of the steps that accumulate in float (matrix products), shared by them one after the other
    final float[] floats;

    Frame(int numberSlots, int textSlots, int scratchFloats)
    {
        this.numbers = new double[numberSlots];
        this.texts = new String[textSlots];
        this.floats = new float[scratchFloats];
    }

    public double[] numbers()
    {
        return numbers;
    }

    public String[] texts()
    {
        return texts;
    }
}
