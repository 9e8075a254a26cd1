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

    SingleTargetTreeStep(TreeEnsemble ensemble, Aggregate aggregate, double origin, boolean probit, int input, int output)
    {
        this.forest = ensemble.forest();
        this.aggregate = requireNonNull(aggregate, "aggregate is null");
        this.doubles = ensemble.doubles();
        this.origin = origin;
        this.probit = probit;
        this.input = input;
        this.output = output;
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
        double score = doubles ? doubleScore(numbers) : floatScore(numbers);
        numbers[output] = probit ? PostTransform.probit((float) score) : (float) score;
    }

    private float floatScore(double[] x)
    {
        int trees = forest.treeCount();
        float score = 0;
        switch (aggregate) {
            case SUM -> {
                for (int tree = 0; tree < trees; tree++) {
                    score += floatWeights[forest.leaf(tree, x, input)];
                }
                return score + (float) origin;
            }
            case AVERAGE -> {
                for (int tree = 0; tree < trees; tree++) {
                    score += floatWeights[forest.leaf(tree, x, input)];
                }
                return score / trees + (float) origin;
            }
            case MIN -> {
                for (int tree = 0; tree < trees; tree++) {
                    float weight = floatWeights[forest.leaf(tree, x, input)];
                    score = tree == 0 || weight < score ? weight : score;
                }
                return score + (float) origin;
            }
            case MAX -> {
                for (int tree = 0; tree < trees; tree++) {
                    float weight = floatWeights[forest.leaf(tree, x, input)];
                    score = tree == 0 || weight > score ? weight : score;
                }
                return score + (float) origin;
            }
        }
        throw new IllegalStateException();
    }

    private double doubleScore(double[] x)
    {
        int trees = forest.treeCount();
        double score = 0;
        switch (aggregate) {
            case SUM -> {
                for (int tree = 0; tree < trees; tree++) {
                    score += doubleWeights[forest.leaf(tree, x, input)];
                }
                return score + origin;
            }
            case AVERAGE -> {
                for (int tree = 0; tree < trees; tree++) {
                    score += doubleWeights[forest.leaf(tree, x, input)];
                }
                return score / trees + origin;
            }
            case MIN -> {
                for (int tree = 0; tree < trees; tree++) {
                    double weight = doubleWeights[forest.leaf(tree, x, input)];
                    score = tree == 0 || weight < score ? weight : score;
                }
                return score + origin;
            }
            case MAX -> {
                for (int tree = 0; tree < trees; tree++) {
                    double weight = doubleWeights[forest.leaf(tree, x, input)];
                    score = tree == 0 || weight > score ? weight : score;
                }
                return score + origin;
            }
        }
        throw new IllegalStateException();
    }
}
