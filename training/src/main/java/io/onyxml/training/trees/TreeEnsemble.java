package io.onyxml.training.trees;

import com.google.common.collect.ImmutableList;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Boosted trees as XGBoost evaluates them: for each output, the base margin plus the sum of the leaf each tree of
 * that output reaches, then the objective's link. A row goes left at a split when {@code value < threshold} (both in
 * float), and a missing value (NaN) goes the split's default way.
 *
 * @param outputs margins per row: 1 for regression and binary classification, the class count for multiclass
 * @param baseMargins the margin each output starts from
 * @param features how many features the trees read (feature indexes are below this)
 */
public record TreeEnsemble(List<Tree> trees, int outputs, float[] baseMargins, int features, Objective objective)
{
    public TreeEnsemble
    {
        trees = ImmutableList.copyOf(trees);
        checkArgument(outputs >= 1, "outputs must be positive");
        checkArgument(baseMargins.length == outputs, "one base margin per output");
        requireNonNull(objective, "objective is null");
        for (Tree tree : trees) {
            checkArgument(tree.output() >= 0 && tree.output() < outputs, "tree output out of range");
        }
    }

    /**
     * The margins of one row of float features (NaN for missing).
     */
    public void margins(float[] row, float[] margins)
    {
        System.arraycopy(baseMargins, 0, margins, 0, outputs);
        for (Tree tree : trees) {
            margins[tree.output()] += tree.leafValue(row);
        }
    }

    /**
     * One tree in XGBoost's array layout; node 0 is the root, a node whose left child is -1 is a leaf with value
     * {@code values[node]}, otherwise a split on {@code featureIndexes[node]} at {@code values[node]}.
     */
    public record Tree(int output, int[] left, int[] right, int[] featureIndexes, float[] values, boolean[] defaultLeft)
    {
        public Tree
        {
            int nodes = left.length;
            checkArgument(nodes > 0 && right.length == nodes && featureIndexes.length == nodes && values.length == nodes && defaultLeft.length == nodes, "tree arrays differ in size");
        }

        public boolean isLeaf(int node)
        {
            return left[node] < 0;
        }

        public float leafValue(float[] row)
        {
            int node = 0;
            while (!isLeaf(node)) {
                float value = row[featureIndexes[node]];
                if (Float.isNaN(value)) {
                    node = defaultLeft[node] ? left[node] : right[node];
                }
                else {
                    node = value < values[node] ? left[node] : right[node];
                }
            }
            return values[node];
        }
    }
}
