package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.trees.Objective;
import io.onyxml.training.trees.TreeEnsemble;

import java.util.List;

/**
 * The ONNX graph of boosted trees: the features as a float tensor (XGBoost compares in float, so the graph casts
 * before the trees, as XGBoost does when it reads its input), one {@code ai.onnx.ml.TreeEnsembleRegressor} that sums
 * the leaves per output onto the base margins ({@code BRANCH_LT}: left when {@code x < threshold}; a missing value
 * follows the split's default direction), then the objective's link: {@code prediction}, or {@code label} and
 * {@code probabilities}.
 */
public final class TreeEnsembleGraph
{
    public static final String PACKED_INPUT = "features";

    private TreeEnsembleGraph() {}

    /**
     * A trained model: one input per feature column, as the encoder lays them out (numbers passed as they are, text
     * one-hot).
     */
    public static byte[] export(String name, FeatureEncoder encoder, TreeEnsemble ensemble, List<String> classLabels)
    {
        OnnxGraphBuilder graph = PreprocessingGraph.newGraph(name);
        String features = PreprocessingGraph.encode(graph, encoder);
        graph.node("Cast").inputs(features).outputs(PreprocessingGraph.PREFIX + "float_features").attribute("to", (long) ElementType.FLOAT.onnxCode()).add();
        return finish(graph, PreprocessingGraph.PREFIX + "float_features", ensemble, classLabels);
    }

    /**
     * An imported model: one float input {@code features [N, F]}, the features named by the file's metadata.
     */
    public static byte[] export(String name, TreeEnsemble ensemble, List<String> featureNames, List<String> classLabels)
    {
        OnnxGraphBuilder graph = PreprocessingGraph.newGraph(name);
        graph.input(PACKED_INPUT, ElementType.FLOAT, -1, ensemble.features());
        graph.metadata("feature_names", String.join(",", featureNames));
        return finish(graph, PACKED_INPUT, ensemble, classLabels);
    }

    private static byte[] finish(OnnxGraphBuilder graph, String features, TreeEnsemble ensemble, List<String> classLabels)
    {
        String prefix = PreprocessingGraph.PREFIX;
        addTrees(graph, features, prefix + "margins", ensemble);
        graph.node("Cast").inputs(prefix + "margins").outputs(prefix + "scores").attribute("to", (long) ElementType.DOUBLE.onnxCode()).add();
        Objective objective = ensemble.objective();
        switch (objective) {
            case IDENTITY -> ScoreOutputs.prediction(graph, prefix + "scores", false);
            case EXP -> ScoreOutputs.prediction(graph, prefix + "scores", true);
            case LOGISTIC_REGRESSION -> {
                graph.node("Sigmoid").inputs(prefix + "scores").outputs(prefix + "probability").add();
                ScoreOutputs.prediction(graph, prefix + "probability", false);
            }
            case BINARY, BINARY_RAW -> ScoreOutputs.classes(graph, prefix + "scores", true, classLabels);
            case MULTICLASS -> ScoreOutputs.classes(graph, prefix + "scores", false, classLabels);
        }
        return graph.build();
    }

    private static void addTrees(OnnxGraphBuilder graph, String input, String output, TreeEnsemble ensemble)
    {
        List<TreeEnsemble.Tree> trees = ensemble.trees();
        int nodes = 0;
        int leaves = 0;
        for (TreeEnsemble.Tree tree : trees) {
            nodes += tree.left().length;
            for (int node = 0; node < tree.left().length; node++) {
                leaves += tree.isLeaf(node) ? 1 : 0;
            }
        }
        long[] treeIds = new long[nodes];
        long[] nodeIds = new long[nodes];
        long[] featureIds = new long[nodes];
        float[] values = new float[nodes];
        String[] modes = new String[nodes];
        long[] trueIds = new long[nodes];
        long[] falseIds = new long[nodes];
        long[] missingTrue = new long[nodes];
        long[] targetTreeIds = new long[leaves];
        long[] targetNodeIds = new long[leaves];
        long[] targetIds = new long[leaves];
        float[] targetWeights = new float[leaves];
        int at = 0;
        int leaf = 0;
        for (int treeIndex = 0; treeIndex < trees.size(); treeIndex++) {
            TreeEnsemble.Tree tree = trees.get(treeIndex);
            for (int node = 0; node < tree.left().length; node++, at++) {
                treeIds[at] = treeIndex;
                nodeIds[at] = node;
                if (tree.isLeaf(node)) {
                    modes[at] = "LEAF";
                    targetTreeIds[leaf] = treeIndex;
                    targetNodeIds[leaf] = node;
                    targetIds[leaf] = tree.output();
                    targetWeights[leaf] = tree.values()[node];
                    leaf++;
                }
                else {
                    featureIds[at] = tree.featureIndexes()[node];
                    values[at] = tree.values()[node];
                    modes[at] = "BRANCH_LT";
                    trueIds[at] = tree.left()[node];
                    falseIds[at] = tree.right()[node];
                    missingTrue[at] = tree.defaultLeft()[node] ? 1 : 0;
                }
            }
        }
        graph.mlNode("TreeEnsembleRegressor")
                .inputs(input)
                .outputs(output)
                .attribute("n_targets", ensemble.outputs())
                .attribute("aggregate_function", "SUM")
                .attribute("post_transform", "NONE")
                .floats("base_values", ensemble.baseMargins())
                .ints("nodes_treeids", treeIds)
                .ints("nodes_nodeids", nodeIds)
                .ints("nodes_featureids", featureIds)
                .floats("nodes_values", values)
                .strings("nodes_modes", modes)
                .ints("nodes_truenodeids", trueIds)
                .ints("nodes_falsenodeids", falseIds)
                .ints("nodes_missing_value_tracks_true", missingTrue)
                .ints("target_treeids", targetTreeIds)
                .ints("target_nodeids", targetNodeIds)
                .ints("target_ids", targetIds)
                .floats("target_weights", targetWeights)
                .add();
    }
}
