package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

import static java.lang.String.format;

/**
 * {@code ai.onnx.ml.LinearRegressor} on a float input [N, features], as ONNX Runtime computes it (it takes no other
 * input type): the scores of each target, then the post transform, which for a single target ONNX Runtime applies
 * only when it is PROBIT.
 */
final class LinearRegressorCompiler
{
    private LinearRegressorCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, Set.of(ElementType.FLOAT));
        int features = MlChecks.featureCount(node, input);
        long targetCount = node.intAttribute("targets", 1);
        float[] coefficients = node.floatsAttribute("coefficients");
        float[] intercepts = node.floatsAttribute("intercepts");
        if (targetCount < 1 || targetCount > GraphCompiler.MAX_FRAME_VALUES) {
            throw node.unsupported("targets is " + targetCount);
        }
        int targets = (int) targetCount;
        if (coefficients.length != (long) targets * features) {
            throw node.unsupported(format("%s coefficients for %s targets of %s features", coefficients.length, targets, features));
        }
        // ONNX Runtime ignores intercepts of another count than the targets: such a model is refused as malformed
        if (intercepts.length != 0 && intercepts.length != targets) {
            throw node.unsupported(format("%s intercepts for %s targets", intercepts.length, targets));
        }
        PostTransform transform = PostTransform.of(node);
        LinearScores scores = new LinearScores(coefficients, intercepts, features);
        int inputOffset = input.offset();
        int outputOffset = node.output(0, ElementType.FLOAT, targets).offset();
        if (targets == 1) {
            boolean probit = transform == PostTransform.PROBIT;
            return frame -> {
                float score = scores.score(frame.numbers, inputOffset, 0);
                frame.numbers[outputOffset] = probit ? PostTransform.probit(score) : score;
            };
        }
        return frame -> {
            double[] numbers = frame.numbers;
            for (int target = 0; target < targets; target++) {
                numbers[outputOffset + target] = scores.score(numbers, inputOffset, target);
            }
            transform.applyToScores(numbers, outputOffset, targets);
        };
    }
}
