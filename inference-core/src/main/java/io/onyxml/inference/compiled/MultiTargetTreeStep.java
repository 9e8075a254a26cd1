package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * A TreeEnsembleRegressor with several targets, as ONNX Runtime computes it: each leaf adds its weights to their
 * targets (or keeps the least or greatest), in tree order, in float (double for a double input); the base values are
 * added when there is one per target; a target that no leaf of the row weighs is 0 whatever its base value; then the
 * post transform. The sums, which targets have one, and the leaf of each tree lie in the step's scratch slots of the frame.
 */
final class MultiTargetTreeStep
        implements Step
{
    private final Forest forest;
    private final int[] leafWeights;
    private final int[] weightTargets;
    private final double[] weights;
    private final boolean doubles;
    private final Aggregate aggregate;
    private final double[] baseValues;
    private final PostTransform transform;
    private final int targets;
    private final int input;
    private final int output;
    private final int scores;
    private final int scored;
    private final int treeLeaves;

    MultiTargetTreeStep(TreeEnsemble ensemble, Aggregate aggregate, PostTransform transform, int input, int output, int scratch)
    {
        this.forest = ensemble.forest();
        this.leafWeights = ensemble.leafWeights();
        this.weightTargets = ensemble.weightTargets();
        this.weights = ensemble.weights();
        this.doubles = ensemble.doubles();
        this.aggregate = requireNonNull(aggregate, "aggregate is null");
        this.targets = ensemble.targetCount();
        double[] base = ensemble.baseValues();
        this.baseValues = base.length == targets ? base : null;
        this.transform = requireNonNull(transform, "transform is null");
        this.input = input;
        this.output = output;
        this.scores = scratch;
        this.scored = scratch + targets;
        this.treeLeaves = scratch + 2 * targets;
    }

    @Override
    public void run(Frame frame)
    {
        double[] numbers = frame.numbers;
        for (int target = 0; target < targets; target++) {
            numbers[scores + target] = 0;
            numbers[scored + target] = 0;
        }
        forest.leaves(numbers, input, numbers, treeLeaves);
        for (int tree = 0; tree < forest.treeCount(); tree++) {
            int leaf = (int) numbers[treeLeaves + tree];
            for (int i = leafWeights[leaf]; i < leafWeights[leaf + 1]; i++) {
                int target = weightTargets[i];
                double weight = weights[i];
                double score = numbers[scores + target];
                boolean first = numbers[scored + target] == 0;
                numbers[scores + target] = switch (aggregate) {
                    case SUM, AVERAGE -> round(score + weight);
                    case MIN -> first || weight < score ? weight : score;
                    case MAX -> first || weight > score ? weight : score;
                };
                numbers[scored + target] = 1;
            }
        }
        int trees = forest.treeCount();
        for (int target = 0; target < targets; target++) {
            double score = numbers[scores + target];
            // without base values, ONNX Runtime adds 0 after MIN and MAX only (which turns -0 into 0)
            double value = switch (aggregate) {
                case SUM -> baseValues == null ? score : round(score + baseValues[target]);
                case AVERAGE -> baseValues == null ? round(score / trees) : round(round(score / trees) + baseValues[target]);
                case MIN, MAX -> round((baseValues == null ? 0 : baseValues[target]) + score);
            };
            numbers[output + target] = numbers[scored + target] != 0 ? value : 0;
        }
        transform.applyToTreeScores(numbers, output, targets, doubles);
    }

    private double round(double value)
    {
        return doubles ? value : (float) value;
    }
}
