package io.onyxml.training.linear;

/**
 * Class probabilities from scores, shared by the models' Java scoring.
 */
public final class Softmax
{
    private Softmax() {}

    public static void apply(double[] scores, double[] probabilities)
    {
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        for (int k = 0; k < scores.length; k++) {
            probabilities[k] = Math.exp(scores[k] - max);
            sum += probabilities[k];
        }
        for (int k = 0; k < scores.length; k++) {
            probabilities[k] /= sum;
        }
    }

    /**
     * log(sum(exp(scores))), without overflow.
     */
    /**
     * The probabilities of two classes from the log-odds of the second.
     */
    public static void sigmoid(double score, double[] probabilities)
    {
        probabilities[1] = 1 / (1 + Math.exp(-score));
        probabilities[0] = 1 - probabilities[1];
    }

    /**
     * The index of the largest value, the first on a tie (as ONNX's ArgMax).
     */
    public static int argMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    static double logSumExp(double[] scores)
    {
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        for (double score : scores) {
            sum += Math.exp(score - max);
        }
        return max + Math.log(sum);
    }
}
