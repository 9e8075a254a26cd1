package io.onyxml.training.onnx;

import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;
import io.onyxml.training.encoding.FeatureEncoder;
import io.onyxml.training.trees.Objective;
import io.onyxml.training.trees.TreeEnsemble;

import java.util.ArrayList;
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
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> targetTreeIds = new ArrayList<>();
        List<Long> targetNodeIds = new ArrayList<>();
        List<Long> targetIds = new ArrayList<>();
        List<Float> targetWeights = new ArrayList<>();
        List<TreeEnsemble.Tree> trees = ensemble.trees();
        for (int treeIndex = 0; treeIndex < trees.size(); treeIndex++) {
            TreeEnsemble.Tree tree = trees.get(treeIndex);
            for (int node = 0; node < tree.left().length; node++) {
                treeIds.add((long) treeIndex);
                nodeIds.add((long) node);
                if (tree.isLeaf(node)) {
                    featureIds.add(0L);
                    values.add(0f);
                    modes.add("LEAF");
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    targetTreeIds.add((long) treeIndex);
                    targetNodeIds.add((long) node);
                    targetIds.add((long) tree.output());
                    targetWeights.add(tree.values()[node]);
                }
                else {
                    featureIds.add((long) tree.featureIndexes()[node]);
                    values.add(tree.values()[node]);
                    modes.add("BRANCH_LT");
                    trueIds.add((long) tree.left()[node]);
                    falseIds.add((long) tree.right()[node]);
                    missingTrue.add(tree.defaultLeft()[node] ? 1L : 0L);
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
                .ints("nodes_treeids", longs(treeIds))
                .ints("nodes_nodeids", longs(nodeIds))
                .ints("nodes_featureids", longs(featureIds))
                .floats("nodes_values", floats(values))
                .strings("nodes_modes", modes.toArray(String[]::new))
                .ints("nodes_truenodeids", longs(trueIds))
                .ints("nodes_falsenodeids", longs(falseIds))
                .ints("nodes_missing_value_tracks_true", longs(missingTrue))
                .ints("target_treeids", longs(targetTreeIds))
                .ints("target_nodeids", longs(targetNodeIds))
                .ints("target_ids", longs(targetIds))
                .floats("target_weights", floats(targetWeights))
                .add();
    }

    private static long[] longs(List<Long> values)
    {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(List<Float> values)
    {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i);
        }
        return result;
    }
}
