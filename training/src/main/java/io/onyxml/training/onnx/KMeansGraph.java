package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.encoding.FeatureEncoder;

/**
 * The ONNX graph of a k-means model: the preprocessing, then the Euclidean distance of each row to each centre,
 * computed as {@code sqrt(sum((x - c)^2))} when width times k is at most 4096, else through {@code |x|^2 - 2xc + |c|^2}
 * clamped at 0 (less precise where distances are small against the norms, but without width x k doubles per row), and
 * the outputs {@code cluster [N]} (int64, the nearest centre, the first on a tie) and {@code distances [N, k]}.
 */
public final class KMeansGraph
{
    /** up to this many centre values the exact form is used; its intermediate tensors hold width x k doubles per row */
    static final long EXACT_FORM_LIMIT = 4096;

    private KMeansGraph() {}

    /**
     * @param centres {@code centres[cluster][slot]}
     */
    public static byte[] export(String name, FeatureEncoder encoder, double[][] centres)
    {
        OnnxGraphBuilder graph = PreprocessingGraph.newGraph(name);
        String features = PreprocessingGraph.encode(graph, encoder);
        int width = encoder.width();
        int clusters = centres.length;
        // centres transposed to [1, width, k], to broadcast against rows as [N, width, 1]
        double[] transposed = new double[width * clusters];
        for (int cluster = 0; cluster < clusters; cluster++) {
            for (int slot = 0; slot < width; slot++) {
                transposed[slot * clusters + cluster] = centres[cluster][slot];
            }
        }
        String prefix = PreprocessingGraph.PREFIX;
        if ((long) width * clusters <= EXACT_FORM_LIMIT) {
            graph.doubleInitializer(prefix + "centres", transposed, 1, width, clusters);
            graph.longInitializer(prefix + "axis2", new long[] {2}, 1);
            graph.longInitializer(prefix + "axis1", new long[] {1}, 1);
            graph.node("Unsqueeze").inputs(features, prefix + "axis2").outputs(prefix + "rows").add();
            graph.node("Sub").inputs(prefix + "rows", prefix + "centres").outputs(prefix + "differences").add();
            graph.node("Mul").inputs(prefix + "differences", prefix + "differences").outputs(prefix + "squares").add();
            graph.node("ReduceSum").inputs(prefix + "squares", prefix + "axis1").outputs(prefix + "squared_distances").attribute("keepdims", 0).add();
        }
        else {
            // |x|^2 - 2 x.c + |c|^2, clamped at 0: memory per row proportional to k, not to k times the width
            double[] centreNorms = new double[clusters];
            for (int cluster = 0; cluster < clusters; cluster++) {
                for (double value : centres[cluster]) {
                    centreNorms[cluster] += value * value;
                }
            }
            graph.doubleInitializer(prefix + "centres", transposed, width, clusters);
            graph.doubleInitializer(prefix + "centre_norms", centreNorms, clusters);
            graph.doubleInitializer(prefix + "minus_two", new double[] {-2}, 1);
            graph.doubleInitializer(prefix + "zero", new double[] {0}, 1);
            graph.longInitializer(prefix + "axis1", new long[] {1}, 1);
            graph.node("Mul").inputs(features, features).outputs(prefix + "squares").add();
            graph.node("ReduceSum").inputs(prefix + "squares", prefix + "axis1").outputs(prefix + "row_norms").attribute("keepdims", 1).add();
            graph.node("MatMul").inputs(features, prefix + "centres").outputs(prefix + "products").add();
            graph.node("Mul").inputs(prefix + "products", prefix + "minus_two").outputs(prefix + "cross").add();
            graph.node("Add").inputs(prefix + "cross", prefix + "row_norms").outputs(prefix + "partial").add();
            graph.node("Add").inputs(prefix + "partial", prefix + "centre_norms").outputs(prefix + "unclamped").add();
            graph.node("Max").inputs(prefix + "unclamped", prefix + "zero").outputs(prefix + "squared_distances").add();
        }
        graph.node("Sqrt").inputs(prefix + "squared_distances").outputs("distances").add();
        graph.node("ArgMin").inputs(prefix + "squared_distances").outputs("cluster").attribute("axis", 1).attribute("keepdims", 0).add();
        graph.output("cluster", ElementType.INT64, -1);
        graph.output("distances", ElementType.DOUBLE, -1, clusters);
        return graph.build();
    }
}
