package io.onyxml.inference.compiled;

/**
 * The scores of a linear model, {@code x · coefficients[target] + intercept[target]}, in float as MLAS's SGEMM
 * computes them on processors with FMA: a fused multiply-add per feature in the feature order from zero, then the
 * intercept added once.
 */
final class LinearScores
{
    private final float[] coefficients;
    private final float[] intercepts;
    private final int features;

    LinearScores(float[] coefficients, float[] intercepts, int features)
    {
        this.coefficients = coefficients.clone();
        this.intercepts = intercepts.clone();
        this.features = features;
    }

    /**
     * @param numbers the frame's numbers, holding the row's features as floats from {@code inputOffset}
     */
    float score(double[] numbers, int inputOffset, int target)
    {
        float sum = 0;
        int row = target * features;
        for (int feature = 0; feature < features; feature++) {
            sum = Math.fma((float) numbers[inputOffset + feature], coefficients[row + feature], sum);
        }
        return intercepts.length == 0 ? sum : sum + intercepts[target];
    }
}
