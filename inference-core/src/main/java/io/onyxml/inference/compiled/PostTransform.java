package io.onyxml.inference.compiled;

/**
 * The {@code post_transform} of the linear (and tree) models, computed in float as ONNX Runtime's CPU kernels compute
 * it: its own logistic and probit approximations, its own softmax loops.
 */
enum PostTransform
{
    NONE,
    LOGISTIC,
    SOFTMAX,
    SOFTMAX_ZERO,
    PROBIT;

    // MLAS's rational approximation of the logistic function (the coefficients are Eigen's)
    private static final float LOGISTIC_BOUND = 18.0f;
    private static final float ALPHA_9 = 4.37031012579801e-11f;
    private static final float ALPHA_7 = 1.15627324459942e-07f;
    private static final float ALPHA_5 = 6.08574864600143e-05f;
    private static final float ALPHA_3 = 8.51377133304701e-03f;
    private static final float ALPHA_1 = 2.48287947061529e-01f;
    private static final float BETA_10 = 6.10247389755681e-13f;
    private static final float BETA_8 = 5.76102136993427e-09f;
    private static final float BETA_6 = 6.29106785017040e-06f;
    private static final float BETA_4 = 1.70198817374094e-03f;
    private static final float BETA_2 = 1.16817656904453e-01f;
    private static final float BETA_0 = 9.93151921023180e-01f;

    // the constants of ONNX Runtime's ErfInv, folded in float as its compiler folds them
    private static final float ERF_INV_A = 2 / ((float) Math.PI * 0.147f);
    private static final float ERF_INV_B = 1 / 0.147f;
    private static final float SQRT_2 = (float) Math.sqrt(2);

    private static final float SOFTMAX_ZERO_EPSILON = 0.0000001f;

    static PostTransform of(NodeContext node)
    {
        String name = node.stringAttribute("post_transform", "NONE");
        // ONNX Runtime reads any other name as PROBIT; such a model is refused instead
        return switch (name) {
            case "NONE" -> NONE;
            case "LOGISTIC" -> LOGISTIC;
            case "SOFTMAX" -> SOFTMAX;
            case "SOFTMAX_ZERO" -> SOFTMAX_ZERO;
            case "PROBIT" -> PROBIT;
            default -> throw node.unsupported("post_transform '" + name + "' is not one of ONNX's");
        };
    }

    /**
     * Transforms the {@code count} scores of one row in place, as ONNX Runtime transforms rows of two scores or more.
     */
    void applyToScores(double[] numbers, int offset, int count)
    {
        switch (this) {
            case NONE -> {}
            case LOGISTIC -> {
                for (int i = offset; i < offset + count; i++) {
                    numbers[i] = logistic((float) numbers[i]);
                }
            }
            case PROBIT -> {
                for (int i = offset; i < offset + count; i++) {
                    numbers[i] = probit((float) numbers[i]);
                }
            }
            // ONNX Runtime calls MLAS for five scores or more, and for fewer in batches of 16384 scores or more
            case SOFTMAX -> {
                if (count >= 5) {
                    MlasSoftmax.apply(numbers, offset, count);
                }
                else {
                    softmax(numbers, offset, count);
                }
            }
            case SOFTMAX_ZERO -> softmaxZero(numbers, offset, count, false);
        }
    }

    /**
     * Transforms the {@code count} scores of one row of a tree ensemble in place, as ONNX Runtime's tree aggregators
     * do (its own loops of the C library's functions, not MLAS). The scores hold values in the precision they were
     * summed in (float values for float inputs, doubles for double inputs); each result is a float.
     */
    void applyToTreeScores(double[] scores, int offset, int count, boolean doubles)
    {
        switch (this) {
            case NONE -> {
                for (int i = offset; i < offset + count; i++) {
                    scores[i] = (float) scores[i];
                }
            }
            case LOGISTIC -> {
                for (int i = offset; i < offset + count; i++) {
                    scores[i] = exactLogistic((float) scores[i]);
                }
            }
            case PROBIT -> {
                for (int i = offset; i < offset + count; i++) {
                    scores[i] = probit((float) scores[i]);
                }
            }
            case SOFTMAX -> softmax(scores, offset, count);
            case SOFTMAX_ZERO -> softmaxZero(scores, offset, count, doubles);
        }
    }

    /**
     * MLAS's logistic kernel on processors with FMA: a rational function of the input clamped to [-18, 18].
     */
    static float logistic(float x)
    {
        if (Float.isNaN(x)) {
            return x;
        }
        float value = Math.max(-LOGISTIC_BOUND, Math.min(LOGISTIC_BOUND, x));
        float squared = value * value;
        float p = Math.fma(squared, ALPHA_9, ALPHA_7);
        p = Math.fma(p, squared, ALPHA_5);
        p = Math.fma(p, squared, ALPHA_3);
        p = Math.fma(p, squared, ALPHA_1);
        p = p * value;
        float q = Math.fma(squared, BETA_10, BETA_8);
        q = Math.fma(q, squared, BETA_6);
        q = Math.fma(q, squared, BETA_4);
        q = Math.fma(q, squared, BETA_2);
        q = Math.fma(q, squared, BETA_0);
        return Math.max(0.0f, Math.min(1.0f, p / q + 0.5f));
    }

    /**
     * ONNX Runtime's logistic function of the C library's exp, used for binary scores.
     */
    static float exactLogistic(float x)
    {
        float v = 1 / (1 + exp(-Math.abs(x)));
        return x < 0 ? 1 - v : v;
    }

    static float probit(float x)
    {
        return SQRT_2 * erfInv(2 * x - 1);
    }

    // ONNX Runtime's approximation of the inverse error function (Winitzki's), in float
    private static float erfInv(float x)
    {
        float sign = x < 0 ? -1.0f : 1.0f;
        float y = (1 - x) * (1 + x);
        float log = (float) Math.log(y);
        float v = ERF_INV_A + 0.5f * log;
        float v2 = ERF_INV_B * log;
        float v3 = -v + (float) Math.sqrt(v * v - v2);
        return sign * (float) Math.sqrt(v3);
    }

    private static void softmax(double[] numbers, int offset, int count)
    {
        float max = -Float.MAX_VALUE;
        for (int i = offset; i < offset + count; i++) {
            if ((float) numbers[i] > max) {
                max = (float) numbers[i];
            }
        }
        float sum = 0;
        for (int i = offset; i < offset + count; i++) {
            float exp = exp((float) numbers[i] - max);
            numbers[i] = exp;
            sum += exp;
        }
        for (int i = offset; i < offset + count; i++) {
            numbers[i] = (float) numbers[i] / sum;
        }
    }

    // exp(0) is not 0: scores near zero are scaled rather than exponentiated, in the precision of the scores
    private static void softmaxZero(double[] numbers, int offset, int count, boolean doubles)
    {
        float max = -Float.MAX_VALUE;
        for (int i = offset; i < offset + count; i++) {
            if ((float) numbers[i] > max) {
                max = (float) numbers[i];
            }
        }
        float expNegativeMax = exp(-max);
        float sum = 0;
        for (int i = offset; i < offset + count; i++) {
            float value = (float) numbers[i];
            if (value > SOFTMAX_ZERO_EPSILON || value < -SOFTMAX_ZERO_EPSILON) {
                float exp = exp(value - max);
                numbers[i] = exp;
                sum += exp;
            }
            else {
                numbers[i] = doubles ? numbers[i] * expNegativeMax : value * expNegativeMax;
            }
        }
        for (int i = offset; i < offset + count; i++) {
            numbers[i] = doubles ? (float) (numbers[i] / sum) : (float) numbers[i] / sum;
        }
    }

    private static float exp(float x)
    {
        return (float) Math.exp(x);
    }
}
