package io.onyxml.training.linear;

final class Softmax
{
    private Softmax() {}

    static void apply(double[] scores, double[] probabilities)
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
