package io.onyxml.inference.compiled;

/**
 * The {@code post_transform} of the {@code ai.onnx.ml} operators, computed as ONNX Runtime computes it: in float,
 * with its own approximations (a logistic on {@code |x|}, Winitzki's inverse error function for the probit).
 */
enum PostTransform
{
    NONE,
    LOGISTIC,
    SOFTMAX,
    SOFTMAX_ZERO,
    PROBIT;

    private static final float SQRT_2 = (float) Math.sqrt(2);
    private static final float ERF_INV_A = 0.147f;
    private static final float SOFTMAX_ZERO_EPSILON = 0.0000001f;

    static PostTransform parse(NodeContext context)
    {
        String name = context.stringAttribute("post_transform", "NONE");
        for (PostTransform transform : values()) {
            if (transform.name().equals(name)) {
                return transform;
            }
        }
        throw context.unsupported("post_transform " + name);
    }

    /**
     * Transforms {@code count} scores in place, element by element or as a vector. Each score holds a value in the
     * precision the scores were summed in (float values for float inputs, doubles for double inputs); each result is
     * a float.
     */
    void apply(double[] scores, int offset, int count, boolean doubles)
    {
        switch (this) {
            case NONE -> {
                for (int i = offset; i < offset + count; i++) {
                    scores[i] = (float) scores[i];
                }
            }
            case LOGISTIC -> {
                for (int i = offset; i < offset + count; i++) {
                    scores[i] = logistic((float) scores[i]);
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

    static float logistic(float value)
    {
        float v = 1 / (1 + exp(-Math.abs(value)));
        return value < 0 ? 1 - v : v;
    }

    static float probit(float value)
    {
        return SQRT_2 * erfInv(2 * value - 1);
    }

    private static float erfInv(float x)
    {
        float sign = x < 0 ? -1.0f : 1.0f;
        float product = (1 - x) * (1 + x);
        float log = (float) Math.log(product);
        float v = 2 / ((float) Math.PI * ERF_INV_A) + 0.5f * log;
        float v2 = 1 / ERF_INV_A * log;
        float v3 = -v + (float) Math.sqrt(v * v - v2);
        return sign * (float) Math.sqrt(v3);
    }

    private static float exp(float value)
    {
        return (float) Math.exp(value);
    }

    private static float max(double[] scores, int offset, int count)
    {
        float max = -Float.MAX_VALUE;
        for (int i = offset; i < offset + count; i++) {
            if ((float) scores[i] > max) {
                max = (float) scores[i];
            }
        }
        return max;
    }

    private static void softmax(double[] scores, int offset, int count)
    {
        float max = max(scores, offset, count);
        float sum = 0;
        for (int i = offset; i < offset + count; i++) {
            float e = exp((float) scores[i] - max);
            scores[i] = e;
            sum += e;
        }
        for (int i = offset; i < offset + count; i++) {
            scores[i] = (float) scores[i] / sum;
        }
    }

    // scores near zero are scaled instead of exponentiated (exp(0) would not be zero), in the precision of the scores
    private static void softmaxZero(double[] scores, int offset, int count, boolean doubles)
    {
        float max = max(scores, offset, count);
        float expNegativeMax = exp(-max);
        float sum = 0;
        for (int i = offset; i < offset + count; i++) {
            float score = (float) scores[i];
            if (score > SOFTMAX_ZERO_EPSILON || score < -SOFTMAX_ZERO_EPSILON) {
                float e = exp(score - max);
                scores[i] = e;
                sum += e;
            }
            else {
                scores[i] = doubles ? scores[i] * expNegativeMax : score * expNegativeMax;
            }
        }
        for (int i = offset; i < offset + count; i++) {
            scores[i] = doubles ? (float) (scores[i] / sum) : (float) scores[i] / sum;
        }
    }
}
