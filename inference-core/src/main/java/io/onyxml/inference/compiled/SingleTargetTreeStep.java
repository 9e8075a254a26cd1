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
    // per leaf, its weight in the precision of the input
    private final double[] weights;
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
        this.weights = new double[forest.leafCount()];
        for (int leaf = 0; leaf < this.weights.length; leaf++) {
            this.weights[leaf] = round(weights[leafWeights[leaf]]);
        }
    }

    @Override
    public void run(Frame frame)
    {
        double[] numbers = frame.numbers;
        forest.leaves(numbers, input, numbers, leaves);
        double score = score(numbers);
        numbers[output] = probit ? PostTransform.probit((float) score) : (float) score;
    }

    /**
     * The aggregate in the precision of the input: each float operation is the double one rounded to float, which for
     * one addition, division or comparison is exactly float arithmetic.
     */
    private double score(double[] numbers)
    {
        int trees = forest.treeCount();
        double score = 0;
        for (int tree = 0; tree < trees; tree++) {
            double weight = weights[(int) numbers[leaves + tree]];
            score = switch (aggregate) {
                case SUM, AVERAGE -> round(score + weight);
                case MIN -> tree == 0 || weight < score ? weight : score;
                case MAX -> tree == 0 || weight > score ? weight : score;
            };
        }
        if (aggregate == Aggregate.AVERAGE) {
            score = round(score / trees);
        }
        return round(score + round(origin));
    }

    private double round(double value)
    {
        return doubles ? value : (float) value;
    }
}
