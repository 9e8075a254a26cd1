package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * A TreeEnsembleClassifier, as ONNX Runtime computes it. Each leaf adds its weights to their classes in tree order, in
 * float (double for a double input); a class that no leaf of the row weighs reads as 0. With more than two classes the
 * base values are added and the label is the first class of greatest score. With two classes ONNX Runtime has special
 * cases, ported as they are: with one class id in the weights ({@code binaryCase}) the label is the second one when
 * the positive score passes 0.5 (all weights positive) or 0, and a single score {@code s} is written as
 * {@code [1 - s, s]} or {@code [-s, s]}; otherwise the label is 1 or 0 (an index for string labels) depending on the
 * sign of the positive score. The class scores, which classes have one, and the leaf of each tree lie in the step's scratch slots.
 */
final class TreeClassifierStep
        implements Step
{
    private final Forest forest;
    private final int[] leafWeights;
    private final int[] weightTargets;
    private final double[] weights;
    private final boolean doubles;
    private final double[] baseValues;
    private final PostTransform transform;
    private final boolean binaryCase;
    private final boolean weightsArePositive;
    private final long[] labels;
    private final String[] textLabels;
    private final int classes;
    private final int input;
    private final int label;
    private final int output;
    private final int scores;
    private final int scored;
    private final int treeLeaves;

    /**
     * @param textLabels the labels when they are strings (then {@code label} is a text slot), else null
     * @param label the slot of the label, or -1 when the node's label output is unused
     */
    TreeClassifierStep(TreeEnsemble ensemble, PostTransform transform, long[] labels, String[] textLabels, int input, int label, int output, int scratch)
    {
        this.forest = ensemble.forest();
        this.leafWeights = ensemble.leafWeights();
        this.weightTargets = ensemble.weightTargets();
        this.weights = ensemble.weights();
        this.doubles = ensemble.doubles();
        this.baseValues = ensemble.baseValues();
        this.transform = requireNonNull(transform, "transform is null");
        this.classes = ensemble.targetCount();
        this.binaryCase = classes == 2 && ensemble.distinctTargets() == 1;
        this.weightsArePositive = ensemble.weightsArePositive();
        this.labels = labels.clone();
        this.textLabels = textLabels == null ? null : textLabels.clone();
        this.input = input;
        this.label = label;
        this.output = output;
        this.scores = scratch;
        this.scored = scratch + classes;
        this.treeLeaves = scratch + 2 * classes;
    }

    @Override
    public void run(Frame frame)
    {
        double[] numbers = frame.numbers;
        for (int k = 0; k < classes; k++) {
            numbers[scores + k] = 0;
            numbers[scored + k] = 0;
        }
        forest.leaves(numbers, input, numbers, treeLeaves);
        for (int tree = 0; tree < forest.treeCount(); tree++) {
            int leaf = (int) numbers[treeLeaves + tree];
            for (int i = leafWeights[leaf]; i < leafWeights[leaf + 1]; i++) {
                int k = weightTargets[i];
                numbers[scores + k] = round(numbers[scores + k] + weights[i]);
                numbers[scored + k] = 1;
            }
        }
        int chosen = classes > 2 ? multiclass(numbers) : binary(numbers);
        if (label < 0) {
            return;
        }
        if (textLabels != null) {
            frame.texts[label] = textLabels[chosen];
        }
        else {
            // ONNX Runtime's non binary case of two classes gives the label 1 or 0 itself, not a class label
            numbers[label] = classes == 2 && !binaryCase ? chosen : labels[chosen];
        }
    }

    // returns the index of the label
    private int multiclass(double[] numbers)
    {
        for (int k = 0; k < baseValues.length; k++) {
            numbers[scores + k] = numbers[scored + k] == 0 ? baseValues[k] : round(numbers[scores + k] + baseValues[k]);
            numbers[scored + k] = 1;
        }
        int best = -1;
        double bestScore = 0;
        for (int k = 0; k < classes; k++) {
            if (numbers[scored + k] != 0 && (best == -1 || numbers[scores + k] > bestScore)) {
                best = k;
                bestScore = numbers[scores + k];
            }
        }
        writeScores(numbers, classes);
        return best;
    }

    // returns the index of the label, or for ONNX Runtime's non binary case of two classes 1 or 0 as an index
    private int binary(double[] numbers)
    {
        boolean second = numbers[scored + 1] != 0;
        int written = 2;
        if (baseValues.length == 2) {
            if (second) {
                // ONNX Runtime: the second base value plus the first class's sum, the first score its opposite
                numbers[scores + 1] = round(baseValues[1] + numbers[scores]);
                numbers[scores] = -numbers[scores + 1];
            }
            else {
                numbers[scores + 1] = round(numbers[scores + 1] + baseValues[1]);
                numbers[scores] = round(numbers[scores] + baseValues[0]);
            }
        }
        else {
            if (baseValues.length == 1) {
                numbers[scores] = round(numbers[scores] + baseValues[0]);
            }
            if (!second) {
                written = 1;
            }
        }
        double positive = written == 2 && second ? numbers[scores + 1] : (numbers[scored] != 0 ? numbers[scores] : 0);
        int chosen = positive > 0 ? 1 : 0;
        boolean complement = false;
        if (binaryCase && weightsArePositive) {
            chosen = positive > 0.5 ? 1 : 0;
            complement = true;
        }
        if (written == 2) {
            writeScores(numbers, 2);
            return chosen;
        }
        // one score: the compiler refused the cases where ONNX Runtime writes only the first (PROBIT, and a base value
        // without the binary case)
        double score = numbers[scored] != 0 ? numbers[scores] : 0;
        if (complement) {
            numbers[output] = (float) round(1 - score);
            numbers[output + 1] = (float) score;
        }
        else if (transform == PostTransform.LOGISTIC) {
            numbers[output] = PostTransform.exactLogistic((float) -score);
            numbers[output + 1] = PostTransform.exactLogistic((float) score);
        }
        else {
            numbers[output] = (float) -score;
            numbers[output + 1] = (float) score;
        }
        return chosen;
    }

    private void writeScores(double[] numbers, int count)
    {
        for (int k = 0; k < count; k++) {
            numbers[output + k] = numbers[scored + k] != 0 ? numbers[scores + k] : 0;
        }
        transform.applyToTreeScores(numbers, output, count, doubles);
    }

    private double round(double value)
    {
        return doubles ? value : (float) value;
    }
}
