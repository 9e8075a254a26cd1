package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.encoding.FeatureEncoder;

/**
 * The ONNX graph of a k-means model: the preprocessing, then the Euclidean distance of each row to each centre,
 * computed as {@code sqrt(sum((x - c)^2))} (not through {@code |x|^2 - 2xc + |c|^2}, which loses precision), and
 * the outputs {@code cluster [N]} (int64, the nearest centre, the first on a tie) and {@code distances [N, k]}.
 */
public final class KMeansGraph
{
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
        graph.doubleInitializer(prefix + "centres", transposed, 1, width, clusters);
        graph.longInitializer(prefix + "axis2", new long[] {2}, 1);
        graph.longInitializer(prefix + "axis1", new long[] {1}, 1);
        graph.node("Unsqueeze").inputs(features, prefix + "axis2").outputs(prefix + "rows").add();
        graph.node("Sub").inputs(prefix + "rows", prefix + "centres").outputs(prefix + "differences").add();
        graph.node("Mul").inputs(prefix + "differences", prefix + "differences").outputs(prefix + "squares").add();
        graph.node("ReduceSum").inputs(prefix + "squares", prefix + "axis1").outputs(prefix + "squared_distances").attribute("keepdims", 0).add();
        graph.node("Sqrt").inputs(prefix + "squared_distances").outputs("distances").add();
        graph.node("ArgMin").inputs(prefix + "squared_distances").outputs("cluster").attribute("axis", 1).attribute("keepdims", 0).add();
        graph.output("cluster", ElementType.INT64, -1);
        graph.output("distances", ElementType.DOUBLE, -1, clusters);
        return graph.build();
    }
}
