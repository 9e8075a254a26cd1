package io.onyxml.inference.compiled;

import static java.util.Objects.requireNonNull;

/**
 * The trees of a tree ensemble flattened into primitive arrays, and the walk from a root to a leaf. A node is an index
 * into the arrays; a child that is a leaf is written {@code ~leaf} (negative), so a walk runs while its node is not
 * negative. Children lie at {@code 2 * node} (condition true) and {@code 2 * node + 1} (false). Built by
 * {@link ForestBuilder}, which guarantees that every walk ends (no cycles, children and features in range).
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

    // walks: one of the comparisons above when every branch node uses it and no node sends NaN to its true branch,
    // the same plus MISSING_TRUE when every branch node uses the comparison and some send NaN to the true branch
    static final int MIXED = 16;

    private final int[] roots;
    private final int[] treeLeaves;
    private final int[] features;
    private final double[] thresholds;
    private final int[] children;
    private final byte[] operators;
    private final int walk;
    private final int leafCount;

    Forest(int[] roots, int[] treeLeaves, int[] features, double[] thresholds, int[] children, byte[] operators, int walk, int leafCount)
    {
        this.roots = requireNonNull(roots, "roots is null");
        this.treeLeaves = requireNonNull(treeLeaves, "treeLeaves is null");
        this.features = requireNonNull(features, "features is null");
        this.thresholds = requireNonNull(thresholds, "thresholds is null");
        this.children = requireNonNull(children, "children is null");
        this.operators = requireNonNull(operators, "operators is null");
        this.walk = walk;
        this.leafCount = leafCount;
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
     * The leaf that a row whose features start at {@code x[offset]} reaches in tree {@code tree}.
     */
    int leaf(int tree, double[] x, int offset)
    {
        int node = roots[tree];
        if (node < 0) {
            return ~node;
        }
        return ~switch (walk) {
            case LEQ -> walkLessOrEqual(node, x, offset);
            case LT -> walkLess(node, x, offset);
            case GTE -> walkGreaterOrEqual(node, x, offset);
            case GT -> walkGreater(node, x, offset);
            case LEQ + MISSING_TRUE -> walkLessOrEqualOrMissing(node, x, offset);
            case LT + MISSING_TRUE -> walkLessOrMissing(node, x, offset);
            default -> walkMixed(node, x, offset);
        };
    }

    private int walkLessOrEqual(int node, double[] x, int offset)
    {
        while (node >= 0) {
            node = children[2 * node + (x[offset + features[node]] <= thresholds[node] ? 0 : 1)];
        }
        return node;
    }

    private int walkLess(int node, double[] x, int offset)
    {
        while (node >= 0) {
            node = children[2 * node + (x[offset + features[node]] < thresholds[node] ? 0 : 1)];
        }
        return node;
    }

    private int walkGreaterOrEqual(int node, double[] x, int offset)
    {
        while (node >= 0) {
            node = children[2 * node + (x[offset + features[node]] >= thresholds[node] ? 0 : 1)];
        }
        return node;
    }

    private int walkGreater(int node, double[] x, int offset)
    {
        while (node >= 0) {
            node = children[2 * node + (x[offset + features[node]] > thresholds[node] ? 0 : 1)];
        }
        return node;
    }

    private int walkLessOrEqualOrMissing(int node, double[] x, int offset)
    {
        while (node >= 0) {
            double value = x[offset + features[node]];
            boolean condition = value <= thresholds[node] || (value != value && operators[node] >= MISSING_TRUE);
            node = children[2 * node + (condition ? 0 : 1)];
        }
        return node;
    }

    private int walkLessOrMissing(int node, double[] x, int offset)
    {
        while (node >= 0) {
            double value = x[offset + features[node]];
            boolean condition = value < thresholds[node] || (value != value && operators[node] >= MISSING_TRUE);
            node = children[2 * node + (condition ? 0 : 1)];
        }
        return node;
    }

    private int walkMixed(int node, double[] x, int offset)
    {
        while (node >= 0) {
            node = children[2 * node + (isTrue(operators[node], x[offset + features[node]], thresholds[node]) ? 0 : 1)];
        }
        return node;
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
