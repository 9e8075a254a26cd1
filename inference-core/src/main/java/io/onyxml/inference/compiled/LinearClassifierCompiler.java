package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Set;

import static java.lang.String.format;

/**
 * {@code ai.onnx.ml.LinearClassifier} as ONNX Runtime computes it: the input cast to float, one score per intercept,
 * the label of the first highest raw score (or, for one score, the second label when the score is above zero), then
 * the post transform of the scores. With one score and two labels ONNX Runtime writes {@code [1 - score, score]}
 * whatever the post transform but PROBIT and LOGISTIC, and leaves the post transform out altogether with one score and no two
 * labels, unless it is PROBIT; but for LOGISTIC with two labels it writes the logistic function of
 * {@code [-score, score]}. {@code multi_class} is ignored, as ONNX Runtime ignores it.
 */
final class LinearClassifierCompiler
{
    private static final Set<ElementType> INPUT_TYPES = Set.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32);

    private LinearClassifierCompiler() {}

    static Step compile(NodeContext node)
    {
        Value input = MlChecks.input(node, INPUT_TYPES);
        int features = MlChecks.featureCount(node, input);
        float[] coefficients = node.floatsAttribute("coefficients");
        float[] intercepts = node.floatsAttribute("intercepts");
        long[] intLabels = node.intsAttribute("classlabels_ints");
        String[] stringLabels = node.stringsAttribute("classlabels_strings");
        // ONNX Runtime counts the classes by the intercepts
        int classes = intercepts.length;
        if (classes == 0) {
            throw node.unsupported("no intercepts");
        }
        if (coefficients.length != (long) classes * features) {
            throw node.unsupported(format("%s coefficients for %s classes of %s features", coefficients.length, classes, features));
        }
        if (intLabels.length > 0 && stringLabels.length > 0) {
            throw node.unsupported("both integer and string class labels");
        }
        boolean strings = stringLabels.length > 0;
        Labels labels = strings ? Labels.ofStrings(stringLabels) : Labels.ofLongs(MlChecks.exactLongs(node, intLabels));
        PostTransform transform = PostTransform.of(node);
        LinearScores scores = new LinearScores(coefficients, intercepts, features);
        int inputOffset = input.offset();
        if (classes == 1) {
            return binary(node, scores, inputOffset, labels, strings, transform);
        }
        if (labels.count() != classes) {
            throw node.unsupported(format("%s class labels for %s classes", labels.count(), classes));
        }
        int labelOffset = node.hasOutput(0) ? node.output(0, strings ? ElementType.STRING : ElementType.INT64).offset() : -1;
        int scoresOffset = node.hasOutput(1) ? node.output(1, ElementType.FLOAT, classes).offset() : -1;
        return frame -> {
            double[] numbers = frame.numbers;
            int best = 0;
            float bestScore = 0;
            for (int target = 0; target < classes; target++) {
                float score = scores.score(numbers, inputOffset, target);
                // a NaN is never higher, and a tie goes to the first class, as in ONNX Runtime
                if (target == 0 || score > bestScore) {
                    best = target;
                    bestScore = score;
                }
                if (scoresOffset >= 0) {
                    numbers[scoresOffset + target] = score;
                }
            }
            if (labelOffset >= 0) {
                labels.write(frame, labelOffset, best);
            }
            if (scoresOffset >= 0) {
                transform.applyToScores(numbers, scoresOffset, classes);
            }
        };
    }

    private static Step binary(NodeContext node, LinearScores scores, int inputOffset, Labels labels, boolean strings, PostTransform transform)
    {
        boolean twoLabels = labels.count() == 2;
        if (twoLabels && transform == PostTransform.PROBIT) {
            // ONNX Runtime then writes the transformed scores of the batch into the first rows' two columns
            throw node.unsupported("PROBIT of one score with two class labels, whose result ONNX Runtime mixes between rows");
        }
        Labels binaryLabels = twoLabels ? labels : (strings ? Labels.ofStrings(new String[] {"0", "1"}) : Labels.ofLongs(new double[] {0, 1}));
        int labelOffset = node.hasOutput(0) ? node.output(0, strings ? ElementType.STRING : ElementType.INT64).offset() : -1;
        int scoresOffset = node.hasOutput(1) ? node.output(1, ElementType.FLOAT, twoLabels ? 2 : 1).offset() : -1;
        boolean probit = transform == PostTransform.PROBIT;
        boolean logistic = transform == PostTransform.LOGISTIC;
        return frame -> {
            double[] numbers = frame.numbers;
            float score = scores.score(numbers, inputOffset, 0);
            if (labelOffset >= 0) {
                binaryLabels.write(frame, labelOffset, score > 0 ? 1 : 0);
            }
            if (scoresOffset < 0) {
                return;
            }
            if (twoLabels && logistic) {
                numbers[scoresOffset] = PostTransform.exactLogistic(-score);
                numbers[scoresOffset + 1] = PostTransform.exactLogistic(score);
            }
            else if (twoLabels) {
                numbers[scoresOffset] = 1.0f - score;
                numbers[scoresOffset + 1] = score;
            }
            else {
                numbers[scoresOffset] = probit ? PostTransform.probit(score) : score;
            }
        };
    }

    private record Labels(double[] numbers, String[] texts)
    {
        static Labels ofLongs(double[] labels)
        {
            return new Labels(labels, null);
        }

        static Labels ofStrings(String[] labels)
        {
            return new Labels(null, labels);
        }

        int count()
        {
            return texts == null ? numbers.length : texts.length;
        }

        void write(Frame frame, int offset, int index)
        {
            if (texts == null) {
                frame.numbers[offset] = numbers[index];
            }
            else {
                frame.texts[offset] = texts[index];
            }
        }
    }
}
