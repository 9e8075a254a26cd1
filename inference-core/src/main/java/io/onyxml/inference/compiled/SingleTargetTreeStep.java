package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * A TreeEnsembleRegressor with one target, as ONNX Runtime computes it: each tree gives the first weight of its leaf,
 * the trees' weights are aggregated in tree order in float (double for a double input), then the base value is added.
 * Of the post transforms only PROBIT applies to one target.
 */
final class SingleTargetTreeStep
        implements Step
{
    private final Forest forest;
    private final float[] floatWeights;
    private final double[] doubleWeights;
    private final boolean doubles;
    private final Aggregate aggregate;
    private final double origin;
    private final boolean probit;
    private final int input;
    private final int output;
    private final int leaves;

    /**
     * @param leaves where the step keeps the leaf of each tree in the frame
     */
    SingleTargetTreeStep(TreeEnsemble ensemble, Aggregate aggregate, double origin, boolean probit, int input, int output, int leaves)
    {
        this.forest = ensemble.forest();
        this.aggregate = requireNonNull(aggregate, "aggregate is null");
        this.doubles = ensemble.doubles();
        this.origin = origin;
        this.probit = probit;
        this.input = input;
        this.output = output;
        this.leaves = leaves;
        int[] leafWeights = ensemble.leafWeights();
        double[] weights = ensemble.weights();
        doubleWeights = new double[forest.leafCount()];
        floatWeights = new float[forest.leafCount()];
        for (int leaf = 0; leaf < doubleWeights.length; leaf++) {
            doubleWeights[leaf] = weights[leafWeights[leaf]];
            floatWeights[leaf] = (float) weights[leafWeights[leaf]];
        }
    }

    @Override
    public void run(Frame frame)
    {
        double[] numbers = frame.numbers;
        forest.leaves(numbers, input, numbers, leaves);
        double score = doubles ? doubleScore(numbers) : floatScore(numbers);
        numbers[output] = probit ? PostTransform.probit((float) score) : (float) score;
    }

    private float floatScore(double[] numbers)
    {
        int trees = forest.treeCount();
        float score = 0;
        for (int tree = 0; tree < trees; tree++) {
            float weight = floatWeights[(int) numbers[leaves + tree]];
            score = switch (aggregate) {
                case SUM, AVERAGE -> score + weight;
                case MIN -> tree == 0 || weight < score ? weight : score;
                case MAX -> tree == 0 || weight > score ? weight : score;
            };
        }
        if (aggregate == Aggregate.AVERAGE) {
            score /= trees;
        }
        return score + (float) origin;
    }

    private double doubleScore(double[] numbers)
    {
        int trees = forest.treeCount();
        double score = 0;
        for (int tree = 0; tree < trees; tree++) {
            double weight = doubleWeights[(int) numbers[leaves + tree]];
            score = switch (aggregate) {
                case SUM, AVERAGE -> score + weight;
                case MIN -> tree == 0 || weight < score ? weight : score;
                case MAX -> tree == 0 || weight > score ? weight : score;
            };
        }
        if (aggregate == Aggregate.AVERAGE) {
            score /= trees;
        }
        return score + origin;
    }
}
