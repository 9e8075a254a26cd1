package io.onyxml.inference.compiled;

import io.onyxml.store.ElementType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Checks the nodes of a tree ensemble, as its {@code nodes_*} attributes list them, and lays them out as a
 * {@link Forest}. A tree is a run of nodes with the same tree id, its root the first of them (as ONNX Runtime reads
 * them); refused: a tree id in two runs, a child missing from its tree, a cycle, a node out of reach of its root, a
 * node that is the false child of one node and a child of another (ONNX Runtime refuses some of these, depending on
 * the order it meets them), a feature out of the input's range.
 */
final class ForestBuilder
{
    static final int LEAF = -1;

    private static final byte UNSEEN = 0;
    private static final byte ON_PATH = 1;
    private static final byte DONE = 2;

    private final NodeContext context;
    private final long[] treeIds;
    private final int[] operators;
    private final long[] featureIds;
    private final double[] thresholds;
    private final int[] trueChildren;
    private final int[] falseChildren;
    private final int featureCount;

    private final int[] position;
    private final int[] leafOf;
    private final int[] heights;
    private final byte[] state;
    private final int[] stack;
    private final byte[] phase;
    private int nodeCount;
    private int leafCount;

    /**
     * @param operators per node, {@link #LEAF} or a {@link Forest} comparison, plus {@link Forest#MISSING_TRUE}
     */
    ForestBuilder(NodeContext context, long[] treeIds, long[] nodeIds, int[] operators, long[] featureIds, double[] thresholds, long[] trueIds, long[] falseIds, int featureCount)
    {
        this.context = requireNonNull(context, "context is null");
        this.treeIds = treeIds.clone();
        this.operators = operators.clone();
        this.featureIds = featureIds.clone();
        this.thresholds = thresholds.clone();
        this.featureCount = featureCount;
        int count = treeIds.length;
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < count; i++) {
            if (treeIds[i] < 0 || treeIds[i] > Integer.MAX_VALUE || nodeIds[i] < 0 || nodeIds[i] > Integer.MAX_VALUE) {
                throw context.unsupported("tree or node id out of range: " + treeIds[i] + "-" + nodeIds[i]);
            }
            if (index.put(key(treeIds[i], nodeIds[i]), i) != null) {
                throw context.unsupported("node " + treeIds[i] + "-" + nodeIds[i] + " is defined twice");
            }
            // ONNX Runtime reads features of leaves too when it checks the input width
            if (featureIds[i] >= featureCount || (operators[i] != LEAF && featureIds[i] < 0)) {
                throw context.unsupported("node " + treeIds[i] + "-" + nodeIds[i] + " reads feature " + featureIds[i] + " of an input of " + featureCount);
            }
        }
        trueChildren = new int[count];
        falseChildren = new int[count];
        int[] parents = new int[count];
        boolean[] falseChild = new boolean[count];
        for (int i = 0; i < count; i++) {
            if (operators[i] == LEAF) {
                continue;
            }
            trueChildren[i] = child(index, i, trueIds[i], count);
            falseChildren[i] = child(index, i, falseIds[i], count);
            parents[trueChildren[i]]++;
            parents[falseChildren[i]]++;
            falseChild[falseChildren[i]] = true;
        }
        for (int i = 0; i < count; i++) {
            if (falseChild[i] && parents[i] > 1) {
                throw context.unsupported("node " + treeIds[i] + "-" + nodeIds[i] + " is a false child with another parent");
            }
        }
        position = new int[count];
        heights = new int[count];
        leafOf = new int[count];
        Arrays.fill(leafOf, -1);
        state = new byte[count];
        stack = new int[count];
        phase = new byte[count];
    }

    /**
     * The index of each listed node's leaf in the forest, or -1 for a branch node; valid after {@link #build()}.
     */
    int[] leafOfNodes()
    {
        return leafOf.clone();
    }

    Forest build()
    {
        int count = treeIds.length;
        int treeCount = 0;
        for (int i = 0; i < count; i++) {
            if (i == 0 || treeIds[i] != treeIds[i - 1]) {
                treeCount++;
            }
        }
        int[] roots = new int[treeCount];
        int[] depths = new int[treeCount];
        int[] treeLeaves = new int[treeCount + 1];
        int walk = walk();
        int[] features = new int[count];
        double[] bounds = new double[count];
        double[] signs = new double[count];
        int[] children = new int[2 * count];
        int[] leaves = new int[count];
        byte[] nodeOperators = new byte[count];
        int tree = 0;
        Map<Long, Integer> seenTrees = new HashMap<>();
        for (int first = 0; first < count; ) {
            int end = first;
            while (end < count && treeIds[end] == treeIds[first]) {
                end++;
            }
            if (seenTrees.put(treeIds[first], tree) != null) {
                throw context.unsupported("the nodes of tree " + treeIds[first] + " are not listed together");
            }
            treeLeaves[tree] = leafCount;
            layOut(first, walk, features, bounds, signs, children, leaves, nodeOperators);
            roots[tree] = position[first];
            depths[tree] = heights[first];
            for (int i = first; i < end; i++) {
                if (state[i] != DONE) {
                    throw context.unsupported("a node of tree " + treeIds[i] + " is out of reach of its root");
                }
            }
            tree++;
            first = end;
        }
        treeLeaves[treeCount] = leafCount;
        int signedFeatures = -1;
        if (walk != Forest.WALK_MIXED) {
            if (count > Forest.MAX_PACKED_NODES || 2L * featureCount > Forest.MAX_PACKED_FEATURES) {
                throw context.unsupported("more nodes or features than the compiled walk packs");
            }
            // where each row's features and their negations are written for the walk
            signedFeatures = context.scratch(ElementType.DOUBLE, 2 * featureCount).offset();
        }
        return new Forest(roots, depths, treeLeaves, features, bounds, signs, nodeOperators, children, leaves, walk, leafCount, featureCount, signedFeatures);
    }

    private int walk()
    {
        int walk = Forest.WALK_PLAIN;
        for (int operator : operators) {
            if (operator == LEAF) {
                continue;
            }
            int comparison = operator & (Forest.MISSING_TRUE - 1);
            if (comparison == Forest.EQ || comparison == Forest.NEQ) {
                return Forest.WALK_MIXED;
            }
            if (comparison == Forest.GTE || comparison == Forest.GT || (operator & Forest.MISSING_TRUE) != 0) {
                walk = Forest.WALK_ORDERED;
            }
        }
        return walk;
    }

    // depth first, false child first (so that it follows its parent in the arrays), without recursion
    private void layOut(int root, int walk, int[] features, double[] bounds, double[] signs, int[] children, int[] leaves, byte[] nodeOperators)
    {
        int depth = 0;
        enter(root);
        phase[depth] = 0;
        stack[depth++] = root;
        while (depth > 0) {
            int node = stack[depth - 1];
            int at = position[node];
            if (operators[node] == LEAF) {
                // a leaf is its own child, so that a walk may take more steps than its path
                children[2 * at] = at;
                children[2 * at + 1] = at;
                signs[at] = 1;
                leaves[at] = leafOf[node];
                state[node] = DONE;
                depth--;
                continue;
            }
            int next = phase[depth - 1] == 0 ? falseChildren[node] : trueChildren[node];
            if (phase[depth - 1] < 2) {
                phase[depth - 1]++;
                if (state[next] == ON_PATH) {
                    throw context.unsupported("tree " + treeIds[node] + " has a cycle");
                }
                if (state[next] == UNSEEN) {
                    enter(next);
                    phase[depth] = 0;
                    stack[depth++] = next;
                }
                continue;
            }
            features[at] = (int) featureIds[node];
            double threshold = thresholds[node];
            int comparison = operators[node] & (Forest.MISSING_TRUE - 1);
            boolean greater = walk != Forest.WALK_MIXED && (comparison == Forest.GTE || comparison == Forest.GT);
            signs[at] = greater ? -1 : 1;
            bounds[at] = switch (walk == Forest.WALK_MIXED ? -1 : comparison) {
                case Forest.LEQ -> threshold;
                case Forest.LT -> Forest.strictBound(threshold);
                case Forest.GTE -> -threshold;
                case Forest.GT -> Forest.strictBound(-threshold);
                default -> threshold;
            };
            nodeOperators[at] = (byte) operators[node];
            leaves[at] = -1;
            children[2 * at] = position[trueChildren[node]];
            children[2 * at + 1] = position[falseChildren[node]];
            if (walk == Forest.WALK_ORDERED && (operators[node] & Forest.MISSING_TRUE) != 0) {
                // NaN takes the true branch: test the opposite, which NaN fails, and swap the children
                signs[at] = -signs[at];
                bounds[at] = Double.isNaN(bounds[at]) ? Double.POSITIVE_INFINITY : Forest.strictBound(-bounds[at]);
                children[2 * at] = position[falseChildren[node]];
                children[2 * at + 1] = position[trueChildren[node]];
            }
            heights[node] = 1 + Math.max(heights[trueChildren[node]], heights[falseChildren[node]]);
            state[node] = DONE;
            depth--;
        }
    }

    private void enter(int node)
    {
        state[node] = ON_PATH;
        position[node] = nodeCount++;
        if (operators[node] == LEAF) {
            leafOf[node] = leafCount++;
        }
    }

    private int child(Map<Long, Integer> index, int parent, long childId, int count)
    {
        // ONNX Runtime checks child ids against the number of nodes of the whole ensemble
        Integer child = childId < 0 || childId >= count ? null : index.get(key(treeIds[parent], childId));
        if (child == null) {
            throw context.unsupported("a child " + treeIds[parent] + "-" + childId + " is not a node");
        }
        if (child == parent) {
            throw context.unsupported("a node of tree " + treeIds[parent] + " is its own child");
        }
        return child;
    }

    private static long key(long treeId, long nodeId)
    {
        return (treeId << 32) | nodeId;
    }
}
