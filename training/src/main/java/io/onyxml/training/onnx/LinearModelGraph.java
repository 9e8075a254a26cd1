package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.data.ClassLabels;
import io.onyxml.training.linear.LinearModel;
import io.onyxml.training.linear.Link;

import java.util.List;

/**
 * The ONNX graph of a {@link LinearModel}: the preprocessing, {@code MatMul} and {@code Add}, then for a
 * regression the output {@code prediction [N, 1]}; for a classifier the outputs {@code label [N]} (int64 when every
 * class is a whole number, else string) and {@code probabilities [N, K]}, from {@code Sigmoid} or {@code Softmax}
 * and {@code ArgMax} (the first class on a tie).
 */
public final class LinearModelGraph
{
    private LinearModelGraph() {}

    public static byte[] export(String name, LinearModel model)
    {
        OnnxGraphBuilder graph = PreprocessingGraph.newGraph(name);
        String features = PreprocessingGraph.encode(graph, model.encoder());
        int width = model.encoder().width();
        int outputs = model.outputs();
        double[] weights = new double[width * outputs];
        for (int slot = 0; slot < width; slot++) {
            for (int output = 0; output < outputs; output++) {
                weights[slot * outputs + output] = model.weights()[slot][output];
            }
        }
        String prefix = PreprocessingGraph.PREFIX;
        graph.doubleInitializer(prefix + "weights", weights, width, outputs);
        graph.doubleInitializer(prefix + "intercepts", model.intercepts(), outputs);
        graph.node("MatMul").inputs(features, prefix + "weights").outputs(prefix + "products").add();
        if (model.link() == Link.IDENTITY) {
            graph.node("Add").inputs(prefix + "products", prefix + "intercepts").outputs("prediction").add();
            graph.output("prediction", ElementType.DOUBLE, -1, 1);
            return graph.build();
        }
        graph.node("Add").inputs(prefix + "products", prefix + "intercepts").outputs(prefix + "scores").add();
        List<String> labels = model.classLabels();
        if (model.link() == Link.SIGMOID) {
            graph.node("Sigmoid").inputs(prefix + "scores").outputs(prefix + "positive").add();
            graph.doubleInitializer(prefix + "one", new double[] {1}, 1);
            graph.node("Sub").inputs(prefix + "one", prefix + "positive").outputs(prefix + "negative").add();
            graph.node("Concat").inputs(prefix + "negative", prefix + "positive").outputs("probabilities").attribute("axis", 1).add();
        }
        else {
            graph.node("Softmax").inputs(prefix + "scores").outputs("probabilities").attribute("axis", 1).add();
        }
        graph.node("ArgMax").inputs("probabilities").outputs(prefix + "class").attribute("axis", 1).attribute("keepdims", 0).add();
        ElementType labelType = addLabels(graph, labels);
        graph.node("Gather").inputs(prefix + "labels", prefix + "class").outputs("label").attribute("axis", 0).add();
        graph.output("label", labelType, -1);
        graph.output("probabilities", ElementType.DOUBLE, -1, labels.size());
        return graph.build();
    }

    static ElementType addLabels(OnnxGraphBuilder graph, List<String> labels)
    {
        String name = PreprocessingGraph.PREFIX + "labels";
        if (ClassLabels.allIntegers(labels)) {
            graph.longInitializer(name, labels.stream().mapToLong(Long::parseLong).toArray(), labels.size());
            return ElementType.INT64;
        }
        graph.stringInitializer(name, labels, labels.size());
        return ElementType.STRING;
    }
}
