package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * The trees of a tree ensemble flattened into primitive arrays, and the walks from the roots to the leaves. A node is
 * an index into the arrays; its children lie at {@code 2 * node} (condition true) and {@code 2 * node + 1} (false).
 * A leaf is its own child, so a walk takes exactly as many steps as its tree is deep, without looking for leaves, and
 * eight trees are walked side by side, so that the memory latency of one walk hides behind the others.
 * <p>
 * The comparisons LEQ, LT, GTE and GT are all written {@code sign * x <= bound}, exactly: {@code x < t} as
 * {@code x <= nextDown(t)}, {@code x >= t} as {@code -x <= -t}, and a strict bound of -infinity as NaN (never true);
 * a NaN input fails them all. A node whose missing values take the true branch tests the opposite comparison (which
 * NaN fails too) with its children swapped. So every node of such a forest is one {@code value <= bound} on a feature
 * or its negation, read from a copy of the row's features followed by their negations, and each node is packed into
 * two longs (its bound; its feature and children), so that a step reads one place in memory. Forests with EQ or NEQ
 * nodes walk node by node with each node's operator. Built by {@link ForestBuilder}, which guarantees that the walks
 * stay in the arrays (no cycle, children and features in range).
 */
final class Forest
{
    static final int LEQ = 0;
    static final int LT = 1;
    static final int GTE = 2;
    static final int GT = 3;
    static final int EQ = 4;
    static final int NEQ = 5;
    // added to a node's operator when a missing (NaN) value takes its true branch
    static final int MISSING_TRUE = 8;

    // every branch node x <= bound
    static final int WALK_PLAIN = 0;
    // every branch node sign * x <= bound, some tracking missing values
    static final int WALK_ORDERED = 1;
    // each branch node its own operator on its threshold (EQ or NEQ somewhere)
    static final int WALK_MIXED = 2;

    // a packed node holds its feature in 16 bits and each child in 24
    static final int MAX_PACKED_NODES = 1 << 24;
    static final int MAX_PACKED_FEATURES = 1 << 16;

    private static final int SIDE_BY_SIDE = 8;
    private static final int CHILD_BITS = 24;
    private static final long CHILD_MASK = (1 << CHILD_BITS) - 1;

    private final int[] roots;
    private final int[] depths;
    private final int[] groupDepths;
    private final int[] treeLeaves;
    private final int[] features;
    private final double[] bounds;
    private final byte[] operators;
    private final int[] children;
    private final int[] leaves;
    private final int walk;
    private final int leafCount;
    private final int featureCount;
    // where in the frame the walk finds each row's features followed by their negations
    private final int signedFeatures;
    // per node of an ordered walk: its bound's bits, then its feature (or featureCount + feature for a negated one),
    // true child and false child, so that a step reads one place in memory
    private final long[] packed;

    /**
     * @param bounds per node, its threshold rewritten as above for {@link #WALK_PLAIN} and {@link #WALK_ORDERED}, as
     * is for {@link #WALK_MIXED}
     * @param leaves per node, the index of its leaf, or -1 for a branch node
     */
    Forest(int[] roots, int[] depths, int[] treeLeaves, int[] features, double[] bounds, double[] signs, byte[] operators, int[] children, int[] leaves, int walk, int leafCount, int featureCount, int signedFeatures)
    {
        this.featureCount = featureCount;
        this.signedFeatures = signedFeatures;
        this.roots = requireNonNull(roots, "roots is null");
        this.depths = requireNonNull(depths, "depths is null");
        this.treeLeaves = requireNonNull(treeLeaves, "treeLeaves is null");
        this.features = requireNonNull(features, "features is null");
        this.bounds = requireNonNull(bounds, "bounds is null");
        this.operators = requireNonNull(operators, "operators is null");
        this.children = requireNonNull(children, "children is null");
        this.leaves = requireNonNull(leaves, "leaves is null");
        this.walk = walk;
        this.leafCount = leafCount;
        if (walk == WALK_MIXED) {
            packed = null;
        }
        else {
            packed = new long[2 * operators.length];
            for (int node = 0; node < operators.length; node++) {
                long feature = features[node] + (signs[node] < 0 ? featureCount : 0);
                packed[2 * node] = Double.doubleToRawLongBits(bounds[node]);
                packed[2 * node + 1] = (feature << (2 * CHILD_BITS)) | ((long) children[2 * node] << CHILD_BITS) | children[2 * node + 1];
            }
        }
        groupDepths = new int[roots.length / SIDE_BY_SIDE];
        for (int group = 0; group < groupDepths.length; group++) {
            for (int tree = group * SIDE_BY_SIDE; tree < (group + 1) * SIDE_BY_SIDE; tree++) {
                groupDepths[group] = Math.max(groupDepths[group], depths[tree]);
            }
        }
    }

    /**
     * The bound that {@code x <= bound} compares with for {@code x < threshold}.
     */
    static double strictBound(double threshold)
    {
        return threshold == Double.NEGATIVE_INFINITY ? Double.NaN : Math.nextDown(threshold);
    }

    int treeCount()
    {
        return roots.length;
    }

    int leafCount()
    {
        return leafCount;
    }

    /**
     * The leaves of tree {@code tree} are numbered from {@code firstLeaf(tree)} to {@code firstLeaf(tree + 1)}
     * (exclusive).
     */
    int firstLeaf(int tree)
    {
        return treeLeaves[tree];
    }

    /**
     * Writes the leaf that the row whose features start at {@code x[offset]} reaches in each tree, in tree order, at
     * {@code out[at]} onwards.
     */
    void leaves(double[] x, int offset, double[] out, int at)
    {
        if (walk == WALK_MIXED) {
            mixedLeaves(x, offset, out, at);
            return;
        }
        // x is the frame: the walk reads the features and their negations from its own place in it
        for (int i = 0; i < featureCount; i++) {
            double value = x[offset + i];
            x[signedFeatures + i] = value;
            x[signedFeatures + featureCount + i] = -value;
        }
        packedLeaves(x, out, at);
    }

    private void packedLeaves(double[] x, double[] out, int at)
    {
        int tree = 0;
        for (int group = 0; group < groupDepths.length; group++, tree += SIDE_BY_SIDE) {
            int node0 = roots[tree];
            int node1 = roots[tree + 1];
            int node2 = roots[tree + 2];
            int node3 = roots[tree + 3];
            int node4 = roots[tree + 4];
            int node5 = roots[tree + 5];
            int node6 = roots[tree + 6];
            int node7 = roots[tree + 7];
            for (int step = groupDepths[group]; step > 0; step--) {
                node0 = step(node0, x);
                node1 = step(node1, x);
                node2 = step(node2, x);
                node3 = step(node3, x);
                node4 = step(node4, x);
                node5 = step(node5, x);
                node6 = step(node6, x);
                node7 = step(node7, x);
            }
            write(out, at + tree, node0, node1, node2, node3, node4, node5, node6, node7);
        }
        for (; tree < roots.length; tree++) {
            int node = roots[tree];
            for (int step = depths[tree]; step > 0; step--) {
                node = step(node, x);
            }
            out[at + tree] = leaves[node];
        }
    }

    // every ordered comparison is value <= bound on a feature or its negation (see the class comment); a node whose
    // missing values take the true branch tests the opposite, which NaN fails, with its children swapped
    private int step(int node, double[] x)
    {
        long links = packed[2 * node + 1];
        boolean condition = x[signedFeatures + (int) (links >>> (2 * CHILD_BITS))] <= Double.longBitsToDouble(packed[2 * node]);
        return (int) ((links >>> (condition ? CHILD_BITS : 0)) & CHILD_MASK);
    }

    // rare (EQ and NEQ): one tree at a time
    private void mixedLeaves(double[] x, int offset, double[] out, int at)
    {
        for (int tree = 0; tree < roots.length; tree++) {
            int node = roots[tree];
            for (int step = depths[tree]; step > 0; step--) {
                node = children[2 * node + (isTrue(operators[node], x[offset + features[node]], bounds[node]) ? 0 : 1)];
            }
            out[at + tree] = leaves[node];
        }
    }

    private void write(double[] out, int at, int node0, int node1, int node2, int node3, int node4, int node5, int node6, int node7)
    {
        out[at] = leaves[node0];
        out[at + 1] = leaves[node1];
        out[at + 2] = leaves[node2];
        out[at + 3] = leaves[node3];
        out[at + 4] = leaves[node4];
        out[at + 5] = leaves[node5];
        out[at + 6] = leaves[node6];
        out[at + 7] = leaves[node7];
    }

    static boolean isTrue(int operator, double value, double threshold)
    {
        boolean condition = switch (operator & (MISSING_TRUE - 1)) {
            case LEQ -> value <= threshold;
            case LT -> value < threshold;
            case GTE -> value >= threshold;
            case GT -> value > threshold;
            case EQ -> value == threshold;
            default -> value != threshold;
        };
        return condition || ((operator & MISSING_TRUE) != 0 && Double.isNaN(value));
    }
}
