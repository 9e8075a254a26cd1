package io.onyxml.inference.compiled;

import java.util.Arrays;
import java.util.List;

/**
 * Numpy-style broadcasting of the operands of an element-wise node, seen per row: row values carry the batch axis,
 * constants broadcast over it (a constant of the output's full rank must have 1 there). Gives the row shape of the
 * output and, for each operand, the index of its value for each output element.
 */
record Broadcast(int[] rowShape, int[][] indexes)
{
    static Broadcast of(NodeContext node, List<Integer> inputs)
    {
        int rowRank = -1;
        for (int input : inputs) {
            if (!node.isConstant(input)) {
                int rank = node.value(input).rank();
                if (rowRank >= 0 && rank != rowRank) {
                    throw node.unsupported("row values of different ranks");
                }
                rowRank = rank;
            }
        }
        if (rowRank < 0) {
            throw node.unsupported("every input is a constant");
        }
        int[][] shapes = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            int input = inputs.get(i);
            shapes[i] = node.isConstant(input) ? constantRowShape(node, node.constant(input).dims(), rowRank) : node.value(input).rowShape();
        }
        int[] output = new int[rowRank];
        Arrays.fill(output, 1);
        for (int[] shape : shapes) {
            for (int axis = 0; axis < shape.length; axis++) {
                int target = rowRank - shape.length + axis;
                int dimension = shape[axis];
                if (dimension != 1) {
                    if (output[target] != 1 && output[target] != dimension) {
                        throw node.unsupported("shapes that do not broadcast");
                    }
                    output[target] = dimension;
                }
            }
        }
        int size = Arrays.stream(output).reduce(1, Math::multiplyExact);
        int[][] indexes = new int[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            indexes[i] = indexes(shapes[i], output, size);
        }
        return new Broadcast(output, indexes);
    }

    int size()
    {
        return indexes.length == 0 ? 1 : indexes[0].length;
    }

    /**
     * Whether the operand's values are the output's, element for element.
     */
    boolean isDirect(int operand)
    {
        int[] index = indexes[operand];
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static int[] constantRowShape(NodeContext node, long[] dims, int rowRank)
    {
        long[] row = dims;
        if (dims.length == rowRank + 1) {
            if (dims[0] != 1) {
                throw node.unsupported("a constant that spans the batch axis");
            }
            row = Arrays.copyOfRange(dims, 1, dims.length);
        }
        else if (dims.length > rowRank + 1) {
            throw node.unsupported("a constant of higher rank than the row values");
        }
        return Arrays.stream(row).mapToInt(Math::toIntExact).toArray();
    }

    private static int[] indexes(int[] shape, int[] output, int size)
    {
        int offset = output.length - shape.length;
        int[] strides = new int[output.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis + offset] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }
        int[] index = new int[size];
        int[] position = new int[output.length];
        for (int flat = 0; flat < size; flat++) {
            int source = 0;
            for (int axis = 0; axis < output.length; axis++) {
                source += position[axis] * strides[axis];
            }
            index[flat] = source;
            for (int axis = output.length - 1; axis >= 0; axis--) {
                if (++position[axis] < output[axis]) {
                    break;
                }
                position[axis] = 0;
            }
        }
        return index;
    }
}
