package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The attributes of a TreeEnsembleRegressor or TreeEnsembleClassifier node ({@code ai.onnx.ml} opsets 1 to 4), read
 * and checked as ONNX Runtime reads them: the trees as a {@link Forest}, each leaf's weights in the order the
 * attributes list them, the base values. Weights, thresholds and base values hold values of the precision ONNX
 * Runtime sums in: float for a float input, double for a double input.
 */
final class TreeEnsemble
{
    private final Forest forest;
    private final boolean doubles;
    private final int targetCount;
    private final int[] leafWeights;
    private final int[] weightTargets;
    private final double[] weights;
    private final double[] baseValues;
    private final boolean weightsArePositive;
    private final int distinctTargets;

    private TreeEnsemble(Forest forest, boolean doubles, int targetCount, int[] leafWeights, int[] weightTargets, double[] weights, double[] baseValues, boolean weightsArePositive, int distinctTargets)
    {
        this.forest = requireNonNull(forest, "forest is null");
        this.doubles = doubles;
        this.targetCount = targetCount;
        this.leafWeights = leafWeights;
        this.weightTargets = weightTargets;
        this.weights = weights;
        this.baseValues = baseValues;
        this.weightsArePositive = weightsArePositive;
        this.distinctTargets = distinctTargets;
    }

    /**
     * @param prefix {@code target} for a regressor, {@code class} for a classifier
     */
    static TreeEnsemble read(NodeContext context, String prefix, int targetCount)
    {
        long version = context.opsetVersion();
        if (version < 1 || version > 4) {
            throw context.unsupported("ai.onnx.ml opset " + version);
        }
        Value input = context.value(0);
        if (input.type() != ElementType.FLOAT && input.type() != ElementType.DOUBLE) {
            throw context.unsupported("input of type " + input.type().displayName());
        }
        // a rank 1 input is one row of features for ONNX Runtime, not a batch
        if (input.rank() != 1) {
            throw context.unsupported("input of shape [N" + (input.rank() == 0 ? "]" : ", ...] with " + (input.rank() + 1) + " axes"));
        }
        if (targetCount < 1) {
            throw context.unsupported("no target or class");
        }
        boolean doubles = input.type() == ElementType.DOUBLE;

        long[] treeIds = context.intsAttribute("nodes_treeids");
        int count = treeIds.length;
        if (count == 0) {
            throw context.unsupported("no tree");
        }
        long[] nodeIds = sized(context, "nodes_nodeids", count);
        long[] featureIds = sized(context, "nodes_featureids", count);
        long[] trueIds = sized(context, "nodes_truenodeids", count);
        long[] falseIds = sized(context, "nodes_falsenodeids", count);
        double[] thresholds = numbers(context, "nodes_values", doubles)
                .orElseThrow(() -> context.unsupported("no nodes_values"));
        String[] modes = context.stringsAttribute("nodes_modes");
        long[] missing = context.intsAttribute("nodes_missing_value_tracks_true");
        if (thresholds.length != count || modes.length != count || missing.length > count) {
            throw context.unsupported("node attributes of different lengths");
        }
        int[] operators = new int[count];
        for (int i = 0; i < count; i++) {
            operators[i] = operator(context, modes[i]);
            if (operators[i] != ForestBuilder.LEAF && i < missing.length && missing[i] == 1) {
                operators[i] += Forest.MISSING_TRUE;
            }
        }
        ForestBuilder builder = new ForestBuilder(context, treeIds, nodeIds, operators, featureIds, thresholds, trueIds, falseIds, input.rowShape()[0]);
        Forest forest = builder.build();
        int[] leafOf = builder.leafOfNodes();

        long[] weightTreeIds = context.intsAttribute(prefix + "_treeids");
        int weightCount = weightTreeIds.length;
        long[] weightNodeIds = sized(context, prefix + "_nodeids", weightCount);
        long[] targetIds = sized(context, prefix + "_ids", weightCount);
        double[] weightValues = numbers(context, prefix + "_weights", doubles).orElse(new double[0]);
        if (weightValues.length != weightCount) {
            throw context.unsupported(prefix + " attributes of different lengths");
        }
        Map<Long, Integer> nodeIndex = new HashMap<>();
        for (int i = 0; i < count; i++) {
            nodeIndex.put((treeIds[i] << 32) | nodeIds[i], i);
        }
        int[] leafWeights = new int[forest.leafCount() + 1];
        int[] weightLeaf = new int[weightCount];
        boolean positive = true;
        Set<Long> targets = new HashSet<>();
        for (int i = 0; i < weightCount; i++) {
            Integer node = weightTreeIds[i] < 0 || weightTreeIds[i] > Integer.MAX_VALUE || weightNodeIds[i] < 0 || weightNodeIds[i] > Integer.MAX_VALUE
                    ? null
                    : nodeIndex.get((weightTreeIds[i] << 32) | weightNodeIds[i]);
            if (node == null) {
                throw context.unsupported("a weight is on node " + weightTreeIds[i] + "-" + weightNodeIds[i] + ", which is not a node");
            }
            if (targetIds[i] < 0 || targetIds[i] >= targetCount) {
                throw context.unsupported("a weight is for target or class " + targetIds[i] + " of " + targetCount);
            }
            // ONNX Runtime ignores weights on branch nodes (older converters wrote some) but counts them here
            positive &= !(weightValues[i] < 0);
            targets.add(targetIds[i]);
            weightLeaf[i] = leafOf[node];
            if (weightLeaf[i] >= 0) {
                leafWeights[weightLeaf[i] + 1]++;
            }
        }
        for (int leaf = 0; leaf < forest.leafCount(); leaf++) {
            if (leafWeights[leaf + 1] == 0) {
                throw context.unsupported("a leaf has no weight");
            }
            leafWeights[leaf + 1] += leafWeights[leaf];
        }
        int[] next = leafWeights.clone();
        int[] weightTargets = new int[leafWeights[forest.leafCount()]];
        double[] weights = new double[weightTargets.length];
        for (int i = 0; i < weightCount; i++) {
            if (weightLeaf[i] >= 0) {
                int at = next[weightLeaf[i]]++;
                weightTargets[at] = (int) targetIds[i];
                weights[at] = weightValues[i];
            }
        }
        double[] baseValues = numbers(context, "base_values", doubles).orElse(new double[0]);
        return new TreeEnsemble(forest, doubles, targetCount, leafWeights, weightTargets, weights, baseValues, positive, targets.size());
    }

    Forest forest()
    {
        return forest;
    }

    /**
     * Whether the input, thresholds and sums are doubles (else floats).
     */
    boolean doubles()
    {
        return doubles;
    }

    int targetCount()
    {
        return targetCount;
    }

    /**
     * Per leaf, where its weights start in {@link #weights()} and {@link #weightTargets()}: those of leaf {@code l}
     * lie from {@code leafWeights()[l]} to {@code leafWeights()[l + 1]} (exclusive), in the order the attributes list
     * them.
     */
    int[] leafWeights()
    {
        return leafWeights.clone();
    }

    int[] weightTargets()
    {
        return weightTargets.clone();
    }

    double[] weights()
    {
        return weights.clone();
    }

    double[] baseValues()
    {
        return baseValues.clone();
    }

    /**
     * Whether no weight listed is negative (those on branch nodes included), as ONNX Runtime's binary classifier asks.
     */
    boolean weightsArePositive()
    {
        return weightsArePositive;
    }

    /**
     * How many different targets or classes the weights listed name (those on branch nodes included).
     */
    int distinctTargets()
    {
        return distinctTargets;
    }

    /**
     * Whether every row gets a weight for {@code target}: some tree has one on each of its leaves.
     */
    boolean alwaysWeighted(int target)
    {
        for (int tree = 0; tree < forest.treeCount(); tree++) {
            boolean everyLeaf = true;
            for (int leaf = forest.firstLeaf(tree); leaf < forest.firstLeaf(tree + 1) && everyLeaf; leaf++) {
                boolean found = false;
                for (int i = leafWeights[leaf]; i < leafWeights[leaf + 1]; i++) {
                    found |= weightTargets[i] == target;
                }
                everyLeaf = found;
            }
            if (everyLeaf) {
                return true;
            }
        }
        return false;
    }

    private static int operator(NodeContext context, String mode)
    {
        return switch (mode) {
            case "LEAF" -> ForestBuilder.LEAF;
            case "BRANCH_LEQ" -> Forest.LEQ;
            case "BRANCH_LT" -> Forest.LT;
            case "BRANCH_GTE" -> Forest.GTE;
            case "BRANCH_GT" -> Forest.GT;
            case "BRANCH_EQ" -> Forest.EQ;
            case "BRANCH_NEQ" -> Forest.NEQ;
            default -> throw context.unsupported("node mode " + mode);
        };
    }

    private static long[] sized(NodeContext context, String name, int count)
    {
        long[] values = context.intsAttribute(name);
        if (values.length != count) {
            throw context.unsupported("attribute " + name + " has " + values.length + " values where " + count + " are expected");
        }
        return values;
    }

    /**
     * A float list attribute or its {@code _as_tensor} twin, which ONNX Runtime reads only as a tensor of the input's
     * type.
     */
    private static Optional<double[]> numbers(NodeContext context, String name, boolean doubles)
    {
        float[] floats = context.floatsAttribute(name);
        Optional<Constant> tensor = context.tensorAttribute(name + "_as_tensor");
        if (tensor.isEmpty()) {
            if (context.attribute(name + "_as_tensor").isPresent()) {
                throw context.unsupported("attribute " + name + "_as_tensor is not a tensor");
            }
            if (floats.length == 0) {
                return Optional.empty();
            }
            double[] values = new double[floats.length];
            for (int i = 0; i < floats.length; i++) {
                values[i] = floats[i];
            }
            return Optional.of(values);
        }
        Constant constant = tensor.get();
        if (floats.length > 0) {
            throw context.unsupported("both " + name + " and " + name + "_as_tensor are given");
        }
        if (constant.type() != (doubles ? ElementType.DOUBLE : ElementType.FLOAT) || constant.dims().length == 0) {
            throw context.unsupported(name + "_as_tensor is a " + constant + " for a " + (doubles ? "double" : "float") + " input");
        }
        return Optional.of(constant.numbers().clone());
    }
}
