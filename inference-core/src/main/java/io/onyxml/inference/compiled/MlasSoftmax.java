package io.onyxml.inference.compiled;

/**
 * MLAS's softmax, which ONNX Runtime's linear and tree models use for rows of five scores or more: its own
 * polynomial exponential of each score less the highest, then a multiplication by the reciprocal of their sum (MLAS
 * sums in vector lanes; here the sum is in row order, which may differ from it in the last bit).
 */
final class MlasSoftmax
{
    private static final float LOWER_RANGE = -103.9720840454f;
    private static final float ROUNDING_BIAS = 0x1.8p23f;
    private static final float LOG2_RECIPROCAL = 1.44269504088896341f;
    private static final float LOG2_HIGH = -6.93145752e-1f;
    private static final float LOG2_LOW = -1.42860677e-6f;
    private static final float POLY_0 = 0x1.694000p-10f;
    private static final float POLY_1 = 0x1.125edcp-7f;
    private static final float POLY_2 = 0x1.555b5ap-5f;
    private static final float POLY_3 = 0x1.555450p-3f;
    private static final float POLY_4 = 0x1.fffff6p-2f;
    private static final float POLY_56 = 1.0f;

    private MlasSoftmax() {}

    static void apply(double[] numbers, int offset, int count)
    {
        float max = -Float.MAX_VALUE;
        for (int i = offset; i < offset + count; i++) {
            max = Math.max(max, (float) numbers[i]);
        }
        float negativeMax = -max;
        float sum = 0;
        for (int i = offset; i < offset + count; i++) {
            float exp = exp((float) numbers[i] + negativeMax);
            numbers[i] = exp;
            sum += exp;
        }
        float scale = 1.0f / sum;
        for (int i = offset; i < offset + count; i++) {
            numbers[i] = (float) numbers[i] * scale;
        }
    }

    // exp(x) for x <= 0: 2^m times a polynomial of the reduced argument, on processors with AVX-512 as on others but
    // for results below 2^-126
    static float exp(float x)
    {
        float value = Float.isNaN(x) ? x : Math.max(LOWER_RANGE, x);
        float biased = Math.fma(value, LOG2_RECIPROCAL, ROUNDING_BIAS);
        float m = biased - ROUNDING_BIAS;
        value = Math.fma(m, LOG2_HIGH, value);
        value = Math.fma(m, LOG2_LOW, value);
        float p = POLY_0;
        p = Math.fma(p, value, POLY_1);
        p = Math.fma(p, value, POLY_2);
        p = Math.fma(p, value, POLY_3);
        p = Math.fma(p, value, POLY_4);
        p = Math.fma(p, value, POLY_56);
        p = Math.fma(p, value, POLY_56);
        // AVX-512's scaling, one rounding also where the result is subnormal
        return Float.isNaN(m) ? m : Math.scalb(p, (int) m);
    }
}
