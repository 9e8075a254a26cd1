package io.onyxml.training.onnx;

import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.linear.LinearModel;

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
        graph.node("Add").inputs(prefix + "products", prefix + "intercepts").outputs(prefix + "scores").add();
        switch (model.link()) {
            case IDENTITY -> ScoreOutputs.prediction(graph, prefix + "scores", false);
            case SIGMOID -> ScoreOutputs.classes(graph, prefix + "scores", true, model.classLabels());
            case SOFTMAX -> ScoreOutputs.classes(graph, prefix + "scores", false, model.classLabels());
        }
        return graph.build();
    }
}
