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

    Frame(int numberSlots, int textSlots)
    {
        this.numbers = new double[numberSlots];
        this.texts = new String[textSlots];
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
