package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.data.ClassLabels;

import java.util.List;

/**
 * The outputs a model's scores (a double tensor {@code [N, K]}) become: a regression's {@code prediction [N, 1]},
 * or a classifier's {@code label [N]} (int64 when every class is a whole number, else string) and
 * {@code probabilities [N, K]} in the order of the class labels, from a sigmoid (one score: the log-odds of the
 * second class) or a softmax, the label being the first most probable class.
 */
final class ScoreOutputs
{
    private ScoreOutputs() {}

    static void prediction(OnnxGraphBuilder graph, String scores, boolean exponential)
    {
        graph.node(exponential ? "Exp" : "Identity").inputs(scores).outputs("prediction").add();
        graph.output("prediction", ElementType.DOUBLE, -1, 1);
    }

    static void classes(OnnxGraphBuilder graph, String scores, boolean binary, List<String> labels)
    {
        String prefix = PreprocessingGraph.PREFIX;
        if (binary) {
            graph.node("Sigmoid").inputs(scores).outputs(prefix + "positive").add();
            graph.doubleInitializer(prefix + "one", new double[] {1}, 1);
            graph.node("Sub").inputs(prefix + "one", prefix + "positive").outputs(prefix + "negative").add();
            graph.node("Concat").inputs(prefix + "negative", prefix + "positive").outputs("probabilities").attribute("axis", 1).add();
        }
        else {
            graph.node("Softmax").inputs(scores).outputs("probabilities").attribute("axis", 1).add();
        }
        graph.node("ArgMax").inputs("probabilities").outputs(prefix + "class").attribute("axis", 1).attribute("keepdims", 0).add();
        String name = prefix + "labels";
        ElementType labelType;
        if (ClassLabels.allIntegers(labels)) {
            graph.longInitializer(name, labels.stream().mapToLong(Long::parseLong).toArray(), labels.size());
            labelType = ElementType.INT64;
        }
        else {
            graph.stringInitializer(name, labels, labels.size());
            labelType = ElementType.STRING;
        }
        graph.node("Gather").inputs(name, prefix + "class").outputs("label").attribute("axis", 0).add();
        graph.output("label", labelType, -1);
        graph.output("probabilities", ElementType.DOUBLE, -1, labels.size());
    }
}
