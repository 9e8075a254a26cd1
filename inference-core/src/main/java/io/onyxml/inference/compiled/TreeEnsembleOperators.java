package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Map;

/**
 * TreeEnsembleRegressor and TreeEnsembleClassifier of {@code ai.onnx.ml}, computed as ONNX Runtime computes them
 * (see {@link TreeEnsemble} for what is read and refused).
 */
final class TreeEnsembleOperators
{
    private static final String ML = "ai.onnx.ml";

    private TreeEnsembleOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
        compilers.put(Operators.key(ML, "TreeEnsembleRegressor"), TreeEnsembleOperators::regressor);
        compilers.put(Operators.key(ML, "TreeEnsembleClassifier"), TreeEnsembleOperators::classifier);
    }

    private static Step regressor(NodeContext context)
    {
        long targets = context.intAttribute("n_targets", 0);
        if (targets < 1 || targets > GraphCompiler.MAX_FRAME_VALUES) {
            throw context.unsupported("n_targets " + targets);
        }
        TreeEnsemble ensemble = TreeEnsemble.read(context, "target", (int) targets);
        Aggregate aggregate = Aggregate.parse(context);
        PostTransform transform = PostTransform.of(context);
        double[] baseValues = ensemble.baseValues();
        // ONNX Runtime ignores base values of another count
        if (baseValues.length != 0 && baseValues.length != targets) {
            throw context.unsupported(baseValues.length + " base values for " + targets + " targets");
        }
        if (!context.hasOutput(0)) {
            throw context.unsupported("no output");
        }
        int input = context.value(0).offset();
        int output = context.output(0, ElementType.FLOAT, (int) targets).offset();
        int trees = ensemble.forest().treeCount();
        if (targets == 1) {
            double origin = baseValues.length == 1 ? baseValues[0] : 0;
            int leaves = context.scratch(ElementType.DOUBLE, trees).offset();
            return new SingleTargetTreeStep(ensemble, aggregate, origin, transform == PostTransform.PROBIT, input, output, leaves);
        }
        int scratch = context.scratch(ElementType.DOUBLE, 2 * (int) targets + trees).offset();
        return new MultiTargetTreeStep(ensemble, aggregate, transform, input, output, scratch);
    }

    private static Step classifier(NodeContext context)
    {
        long[] labels = context.intsAttribute("classlabels_int64s");
        String[] textLabels = context.stringsAttribute("classlabels_strings");
        if ((labels.length == 0) == (textLabels.length == 0)) {
            throw context.unsupported("there must be either int64 or string class labels");
        }
        boolean text = textLabels.length > 0;
        int classes = text ? textLabels.length : labels.length;
        if (classes < 2) {
            throw context.unsupported("fewer than two classes");
        }
        for (long label : labels) {
            // labels are held as doubles in a frame
            if (Math.abs(label) > (1L << 53)) {
                throw context.unsupported("class label " + label + " beyond 2^53");
            }
        }
        TreeEnsemble ensemble = TreeEnsemble.read(context, "class", classes);
        PostTransform transform = PostTransform.of(context);
        int baseValues = ensemble.baseValues().length;
        // ONNX Runtime refuses other counts, but for two classes
        if (baseValues > classes || (classes > 2 && baseValues != 0 && baseValues != classes)) {
            throw context.unsupported(baseValues + " base values for " + classes + " classes");
        }
        boolean binaryCase = classes == 2 && ensemble.distinctTargets() == 1;
        if (classes == 2 && baseValues < 2 && !ensemble.alwaysWeighted(1)) {
            // a row may have a single score; ONNX Runtime then leaves the second one unwritten in these cases
            if (transform == PostTransform.PROBIT || (baseValues == 1 && !binaryCase)) {
                throw context.unsupported("a binary classifier whose second score ONNX Runtime may leave unwritten");
            }
        }
        if (binaryCase && ensemble.weightsArePositive() && transform == PostTransform.LOGISTIC) {
            // ONNX Runtime 1.26 changed the scores of this case (issue 27533) and later its labels
            throw context.unsupported("a binary classifier of positive weights with LOGISTIC, whose results vary across ONNX Runtime versions");
        }
        int input = context.value(0).offset();
        int label = -1;
        if (context.hasOutput(0)) {
            label = context.output(0, text ? ElementType.STRING : ElementType.INT64).offset();
        }
        int output = context.hasOutput(1)
                ? context.output(1, ElementType.FLOAT, classes).offset()
                : context.scratch(ElementType.FLOAT, classes).offset();
        int scratch = context.scratch(ElementType.DOUBLE, 2 * classes + ensemble.forest().treeCount()).offset();
        return new TreeClassifierStep(ensemble, transform, labels, text ? textLabels : null, input, label, output, scratch);
    }
}
