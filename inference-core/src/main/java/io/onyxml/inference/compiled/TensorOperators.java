package io.onyxml.inference.compiled;

import com.google.common.primitives.Ints;
import io.onyxml.inference.compiled.ReductionSteps.Reduction;
import io.onyxml.store.ElementType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static java.lang.String.format;

/**
 * The operators of the default ONNX domain that small models are made of: matrix products, element-wise arithmetic
 * and activations, casts, shapes, concatenation, softmax, arg max and reductions over the last axis, and the label
 * lookups ({@code Gather}) and imputation ({@code IsNaN}, {@code Where}) that exporters add around them. Each works
 * on row values, with the batch axis first; nodes that would mix rows (axis 0) are not compiled.
 */
final class TensorOperators
{
    private static final String DOMAIN = "ai.onnx";

    private TensorOperators() {}

    static void register(Map<String, OperatorCompiler> compilers)
    {
        add(compilers, "Identity", node -> alias(node, node.value(0).rowShape()));
        add(compilers, "Constant", TensorOperators::constant);
        add(compilers, "Cast", TensorOperators::cast);
        add(compilers, "Reshape", TensorOperators::reshape);
        add(compilers, "Flatten", TensorOperators::flatten);
        add(compilers, "Squeeze", node -> squeeze(node, false));
        add(compilers, "Unsqueeze", node -> squeeze(node, true));
        add(compilers, "Concat", TensorOperators::concat);
        add(compilers, "Gather", TensorOperators::gather);
        add(compilers, "MatMul", node -> matrix(node, false));
        add(compilers, "Gemm", node -> matrix(node, true));
        add(compilers, "Add", node -> binary(node, Double::sum));
        add(compilers, "Sub", node -> binary(node, (a, b) -> a - b));
        add(compilers, "Mul", node -> binary(node, (a, b) -> a * b));
        add(compilers, "Div", node -> binary(node, (a, b) -> a / b));
        add(compilers, "Pow", node -> binary(node, Math::pow));
        add(compilers, "Max", node -> variadic(node, Math::max));
        add(compilers, "Min", node -> variadic(node, Math::min));
        add(compilers, "Sum", node -> variadic(node, Double::sum));
        add(compilers, "Greater", node -> comparison(node, (a, b) -> a > b ? 1 : 0));
        add(compilers, "GreaterOrEqual", node -> comparison(node, (a, b) -> a >= b ? 1 : 0));
        add(compilers, "Less", node -> comparison(node, (a, b) -> a < b ? 1 : 0));
        add(compilers, "LessOrEqual", node -> comparison(node, (a, b) -> a <= b ? 1 : 0));
        add(compilers, "Equal", node -> comparison(node, (a, b) -> a == b ? 1 : 0));
        add(compilers, "And", node -> comparison(node, (a, b) -> a != 0 && b != 0 ? 1 : 0));
        add(compilers, "Or", node -> comparison(node, (a, b) -> a != 0 || b != 0 ? 1 : 0));
        add(compilers, "Relu", node -> {
            Value input = numeric(node, node.value(0));
            Value output = node.output(0, input.type(), input.rowShape());
            return new ElementwiseSteps.Relu(input.offset(), output.offset(), input.size());
        });
        add(compilers, "Sigmoid", node -> unary(node, x -> 1 / (1 + Math.exp(-x))));
        add(compilers, "Tanh", node -> unary(node, Math::tanh));
        add(compilers, "Exp", node -> unary(node, Math::exp));
        add(compilers, "Log", node -> unary(node, Math::log));
        add(compilers, "Sqrt", node -> unary(node, Math::sqrt));
        add(compilers, "Abs", node -> unary(node, Math::abs));
        add(compilers, "Neg", node -> unary(node, x -> -x));
        add(compilers, "Reciprocal", node -> unary(node, x -> 1 / x));
        add(compilers, "Floor", node -> unary(node, Math::floor));
        add(compilers, "Ceil", node -> unary(node, Math::ceil));
        add(compilers, "Softplus", node -> unary(node, x -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))));
        add(compilers, "Not", node -> {
            Value input = node.value(0);
            Value output = node.output(0, ElementType.BOOL, input.rowShape());
            return new ElementwiseSteps.Unary(input.offset(), output.offset(), input.size(), x -> x == 0 ? 1 : 0, false);
        });
        add(compilers, "IsNaN", node -> {
            Value input = numeric(node, node.value(0));
            Value output = node.output(0, ElementType.BOOL, input.rowShape());
            return new ElementwiseSteps.Unary(input.offset(), output.offset(), input.size(), x -> Double.isNaN(x) ? 1 : 0, false);
        });
        add(compilers, "Where", TensorOperators::where);
        add(compilers, "Softmax", node -> softmax(node, false));
        add(compilers, "LogSoftmax", node -> softmax(node, true));
        add(compilers, "ArgMax", node -> argExtreme(node, true));
        add(compilers, "ArgMin", node -> argExtreme(node, false));
        add(compilers, "ReduceSum", node -> reduce(node, Reduction.SUM, 13));
        add(compilers, "ReduceMean", node -> reduce(node, Reduction.MEAN, 18));
        add(compilers, "ReduceMax", node -> reduce(node, Reduction.MAX, 18));
        add(compilers, "ReduceMin", node -> reduce(node, Reduction.MIN, 18));
        add(compilers, "ReduceProd", node -> reduce(node, Reduction.PROD, 18));
        add(compilers, "ReduceSumSquare", node -> reduce(node, Reduction.SUM_SQUARE, 18));
        add(compilers, "ReduceL1", node -> reduce(node, Reduction.L1, 18));
        add(compilers, "ReduceL2", node -> reduce(node, Reduction.L2, 18));
    }

    private static void add(Map<String, OperatorCompiler> compilers, String opType, OperatorCompiler compiler)
    {
        compilers.put(Operators.key(DOMAIN, opType), compiler);
    }

    private static Step alias(NodeContext node, int[] rowShape)
    {
        node.alias(0, node.value(0), rowShape);
        return null;
    }

    private static Step constant(NodeContext node)
    {
        Constant value = node.tensorAttribute("value")
                .or(() -> node.attribute("value_float").map(attribute -> new Constant(ElementType.FLOAT, new long[0], new double[] {attribute.getF()}, null)))
                .or(() -> node.attribute("value_floats").map(attribute -> {
                    float[] floats = node.floatsAttribute("value_floats");
                    double[] numbers = new double[floats.length];
                    for (int i = 0; i < floats.length; i++) {
                        numbers[i] = floats[i];
                    }
                    return new Constant(ElementType.FLOAT, new long[] {floats.length}, numbers, null);
                }))
                .or(() -> node.attribute("value_int").map(attribute -> new Constant(ElementType.INT64, new long[0], new double[] {attribute.getI()}, null)))
                .or(() -> node.attribute("value_ints").map(attribute -> {
                    long[] ints = node.intsAttribute("value_ints");
                    return new Constant(ElementType.INT64, new long[] {ints.length}, Arrays.stream(ints).asDoubleStream().toArray(), null);
                }))
                .orElseThrow(() -> node.unsupported("a constant of a kind not compiled"));
        node.constantOutput(0, value);
        return null;
    }

    private static Step cast(NodeContext node)
    {
        Value input = node.value(0);
        ElementType target = ElementType.fromOnnxCode((int) node.intAttribute("to", 0));
        if (input.isText() || target == ElementType.STRING) {
            if (input.isText() && target == ElementType.STRING) {
                return alias(node, input.rowShape());
            }
            throw node.unsupported("casts to or from strings");
        }
        Value output = node.output(0, target, input.rowShape());
        DoubleUnaryOperator conversion = switch (target) {
            case FLOAT -> x -> (float) x;
            case DOUBLE -> x -> x;
            // truncation toward zero, as a C++ static_cast of an in-range value
            case INT64, INT32 -> x -> (long) x;
            case BOOL -> x -> x != 0 ? 1 : 0;
            default -> throw node.unsupported("a cast to " + target.displayName());
        };
        return new ElementwiseSteps.Unary(input.offset(), output.offset(), input.size(), conversion, false);
    }

    private static Step reshape(NodeContext node)
    {
        Value input = node.value(0);
        long[] shape = node.constant(1).longs();
        if (shape.length == 0 || (shape[0] != -1 && shape[0] != 0)) {
            throw node.unsupported("a reshape that does not keep the batch axis first");
        }
        if (node.intAttribute("allowzero", 0) != 0) {
            throw node.unsupported("allowzero");
        }
        int[] inputShape = input.rowShape();
        long[] row = Arrays.copyOfRange(shape, 1, shape.length);
        int inferred = -1;
        long known = 1;
        for (int axis = 0; axis < row.length; axis++) {
            if (row[axis] == 0) {
                if (axis + 1 > inputShape.length) {
                    throw node.unsupported("a zero dimension beyond the input's rank");
                }
                row[axis] = inputShape[axis];
            }
            if (row[axis] == -1) {
                if (inferred >= 0 || shape[0] == -1) {
                    throw node.unsupported("more than one inferred dimension");
                }
                inferred = axis;
            }
            else if (row[axis] <= 0 || row[axis] > GraphCompiler.MAX_FRAME_VALUES) {
                throw node.unsupported("a dimension of " + row[axis]);
            }
            else {
                known *= row[axis];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || input.size() % known != 0) {
                throw node.unsupported("a shape that does not divide the row");
            }
            row[inferred] = input.size() / known;
        }
        else if (known != input.size()) {
            throw node.unsupported(format("a shape %s that does not hold the row's %s values", Arrays.toString(shape), input.size()));
        }
        return alias(node, Arrays.stream(row).mapToInt(Math::toIntExact).toArray());
    }

    private static Step flatten(NodeContext node)
    {
        Value input = node.value(0);
        long axis = node.intAttribute("axis", 1);
        if (axis != 1 && !(axis < 0 && axis + input.rank() + 1 == 1)) {
            throw node.unsupported("flattening at an axis other than 1");
        }
        return alias(node, new int[] {input.size()});
    }

    private static Step squeeze(NodeContext node, boolean insert)
    {
        Value input = node.value(0);
        long[] axes = node.opsetVersion() >= 13 ? (node.hasInput(1) ? node.constant(1).longs() : new long[0]) : node.intsAttribute("axes");
        List<Integer> shape = new ArrayList<>(Ints.asList(input.rowShape()));
        if (insert) {
            int rank = input.rank() + 1 + axes.length;
            long[] sorted = Arrays.stream(axes).map(axis -> axis < 0 ? axis + rank : axis).sorted().toArray();
            for (long axis : sorted) {
                if (axis <= 0 || axis > shape.size() + 1) {
                    throw node.unsupported("unsqueezing the batch axis");
                }
                shape.add((int) axis - 1, 1);
            }
        }
        else {
            if (axes.length == 0) {
                shape.removeIf(dimension -> dimension == 1);
            }
            else {
                int rank = input.rank() + 1;
                long[] sorted = Arrays.stream(axes).map(axis -> axis < 0 ? axis + rank : axis).sorted().toArray();
                for (int i = sorted.length - 1; i >= 0; i--) {
                    long axis = sorted[i];
                    if (axis <= 0 || axis >= rank || shape.get((int) axis - 1) != 1) {
                        throw node.unsupported("squeezing the batch axis or an axis that is not 1");
                    }
                    shape.remove((int) axis - 1);
                }
            }
        }
        return alias(node, Ints.toArray(shape));
    }

    private static Step concat(NodeContext node)
    {
        long axis = node.intAttribute("axis", 1);
        Value first = node.operand(0);
        int rank = first.rank() + 1;
        if (rank != 2 || (axis != 1 && axis != -1)) {
            throw node.unsupported("concatenation other than of [N, K] tensors along axis 1");
        }
        List<Integer> sources = new ArrayList<>();
        int width = 0;
        for (int input = 0; input < node.inputCount(); input++) {
            Value value = node.operand(input);
            if (value.type() != first.type() || value.rank() != 1) {
                throw node.unsupported("inputs of different types or ranks");
            }
            for (int i = 0; i < value.size(); i++) {
                sources.add(value.offset() + i);
            }
            width += value.size();
        }
        Value output = node.output(0, first.type(), width);
        int[] targets = new int[width];
        for (int i = 0; i < width; i++) {
            targets[i] = output.offset() + i;
        }
        return new ElementwiseSteps.Copy(Ints.toArray(sources), targets, first.isText());
    }

    private static Step gather(NodeContext node)
    {
        long axis = node.intAttribute("axis", 0);
        if (node.isConstant(0) && !node.isConstant(1)) {
            // a lookup table indexed by a row value: class labels by arg max
            Constant data = node.constant(0);
            Value indices = node.value(1);
            if (data.dims().length != 1 || axis != 0) {
                throw node.unsupported("a lookup in a table of more than one axis");
            }
            Value table = node.operand(0);
            Value output = node.output(0, data.type(), indices.rowShape());
            return new LookupStep(table.offset(), data.size(), indices.offset(), output.offset(), indices.size(), data.type() == ElementType.STRING, node.proto().getName());
        }
        if (!node.isConstant(0) && node.isConstant(1)) {
            Value data = node.value(0);
            long[] picks = node.constant(1).longs();
            long[] pickDims = node.constant(1).dims();
            if (data.rank() != 1 || (axis != 1 && axis != -1) || pickDims.length > 1) {
                throw node.unsupported("a gather other than of columns of an [N, K] tensor");
            }
            int[] sources = new int[picks.length];
            int[] targets = new int[picks.length];
            Value output = node.output(0, data.type(), pickDims.length == 0 ? new int[0] : new int[] {picks.length});
            for (int i = 0; i < picks.length; i++) {
                long pick = picks[i] < 0 ? picks[i] + data.size() : picks[i];
                if (pick < 0 || pick >= data.size()) {
                    throw node.unsupported("an index out of range");
                }
                sources[i] = data.offset() + (int) pick;
                targets[i] = output.offset() + i;
            }
            return new ElementwiseSteps.Copy(sources, targets, data.isText());
        }
        throw node.unsupported("a gather of two row values or two constants");
    }

    private static Step matrix(NodeContext node, boolean gemm)
    {
        Value input = numeric(node, node.value(0));
        Constant weights = node.constant(1);
        long[] dims = weights.dims();
        boolean transposed = gemm && node.intAttribute("transB", 0) != 0;
        if (gemm && node.intAttribute("transA", 0) != 0) {
            throw node.unsupported("transA");
        }
        if (input.rank() != 1 || !(dims.length == 2 || (!gemm && dims.length == 1))) {
            throw node.unsupported("a product other than of [N, F] rows and a constant matrix");
        }
        int rows = (int) (transposed ? dims[1] : dims[0]);
        int columns = dims.length == 1 ? 1 : (int) (transposed ? dims[0] : dims[1]);
        if (rows != input.size() || weights.type() != input.type()) {
            throw node.unsupported(format("a matrix of shape %s for rows of %s values", Arrays.toString(dims), input.size()));
        }
        double[] matrix = weights.numbers();
        if (transposed) {
            matrix = new double[rows * columns];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < columns; j++) {
                    matrix[i * columns + j] = weights.number(j * rows + i);
                }
            }
        }
        double alpha = gemm ? node.floatAttribute("alpha", 1) : 1;
        double[] bias = null;
        if (gemm && node.hasInput(2)) {
            Constant c = node.constant(2);
            double beta = node.floatAttribute("beta", 1);
            bias = new double[columns];
            long[] cDims = c.dims();
            long cSize = c.size();
            boolean perColumn = cSize == columns && (cDims.length == 1 || (cDims.length == 2 && cDims[0] == 1));
            if (!perColumn && cSize != 1) {
                throw node.unsupported("a bias that is neither per column nor one value");
            }
            for (int j = 0; j < columns; j++) {
                bias[j] = beta * c.number(perColumn ? j : 0);
            }
        }
        Value output = node.output(0, input.type(), dims.length == 1 ? new int[0] : new int[] {columns});
        if (input.type() == ElementType.FLOAT) {
            node.reserveScratch(columns);
            return MatrixSteps.FloatVectorMatrix.of(input.offset(), rows, matrix, columns, (float) alpha, bias == null ? null : toFloats(bias), output.offset());
        }
        return new MatrixSteps.VectorMatrix(input.offset(), rows, matrix, columns, alpha, bias, output.offset(), false);
    }

    private static Step binary(NodeContext node, DoubleBinaryOperator function)
    {
        Broadcast broadcast = Broadcast.of(node, List.of(0, 1));
        Value left = numeric(node, node.operand(0));
        Value right = numeric(node, node.operand(1));
        if (left.type() != right.type()) {
            throw node.unsupported("inputs of different types");
        }
        Value output = node.output(0, left.type(), broadcast.rowShape());
        boolean toFloat = left.type() == ElementType.FLOAT;
        if (node.opType().equals("Add") && broadcast.isDirect(0) && broadcast.isDirect(1)) {
            return new ElementwiseSteps.AddSameShape(left.offset(), right.offset(), output.offset(), output.size(), toFloat);
        }
        return new ElementwiseSteps.Binary(left.offset(), broadcast.indexes()[0], right.offset(), broadcast.indexes()[1], output.offset(), function, toFloat);
    }

    private static Step variadic(NodeContext node, DoubleBinaryOperator function)
    {
        if (node.inputCount() == 1) {
            return alias(node, node.value(0).rowShape());
        }
        if (node.inputCount() != 2) {
            throw node.unsupported("more than two inputs");
        }
        return binary(node, function);
    }

    private static Step comparison(NodeContext node, DoubleBinaryOperator function)
    {
        Broadcast broadcast = Broadcast.of(node, List.of(0, 1));
        Value left = numeric(node, node.operand(0));
        Value right = numeric(node, node.operand(1));
        Value output = node.output(0, ElementType.BOOL, broadcast.rowShape());
        return new ElementwiseSteps.Binary(left.offset(), broadcast.indexes()[0], right.offset(), broadcast.indexes()[1], output.offset(), function, false);
    }

    private static Step unary(NodeContext node, DoubleUnaryOperator function)
    {
        Value input = numeric(node, node.value(0));
        if (input.type() != ElementType.FLOAT && input.type() != ElementType.DOUBLE) {
            throw node.unsupported("an input of type " + input.type().displayName());
        }
        Value output = node.output(0, input.type(), input.rowShape());
        return new ElementwiseSteps.Unary(input.offset(), output.offset(), input.size(), function, input.type() == ElementType.FLOAT);
    }

    private static Step where(NodeContext node)
    {
        Broadcast broadcast = Broadcast.of(node, List.of(0, 1, 2));
        Value condition = node.operand(0);
        Value whenTrue = node.operand(1);
        Value whenFalse = node.operand(2);
        if (whenTrue.type() != whenFalse.type() || condition.type() != ElementType.BOOL) {
            throw node.unsupported("inputs of different types");
        }
        Value output = node.output(0, whenTrue.type(), broadcast.rowShape());
        int[][] indexes = broadcast.indexes();
        return new ElementwiseSteps.Where(condition.offset(), indexes[0], whenTrue.offset(), indexes[1], whenFalse.offset(), indexes[2], output.offset(), whenTrue.isText());
    }

    private static Step softmax(NodeContext node, boolean logarithm)
    {
        Value input = numeric(node, node.value(0));
        int rank = input.rank() + 1;
        long axis = node.intAttribute("axis", node.opsetVersion() >= 13 ? -1 : 1);
        axis = axis < 0 ? axis + rank : axis;
        // before opset 13 the input is flattened to 2-D at the axis; from 13 the axis alone is normalized
        if (axis != rank - 1 || axis == 0) {
            throw node.unsupported("a softmax over an axis other than the last");
        }
        int[] shape = input.rowShape();
        int width = shape[shape.length - 1];
        Value output = node.output(0, input.type(), shape);
        return new ReductionSteps.Softmax(input.offset(), output.offset(), input.size() / width, width, input.type() == ElementType.FLOAT, logarithm);
    }

    private static Step argExtreme(NodeContext node, boolean largest)
    {
        Value input = numeric(node, node.value(0));
        int[] shape = lastAxis(node, input, node.intAttribute("axis", 0));
        Value output = node.output(0, ElementType.INT64, reducedShape(node, shape));
        int width = shape[shape.length - 1];
        return new ReductionSteps.ArgExtreme(input.offset(), output.offset(), input.size() / width, width, largest, node.intAttribute("select_last_index", 0) != 0);
    }

    private static Step reduce(NodeContext node, Reduction reduction, int axesAsInputSince)
    {
        Value input = numeric(node, node.value(0));
        long[] axes = node.opsetVersion() >= axesAsInputSince ? (node.hasInput(1) ? node.constant(1).longs() : new long[0]) : node.intsAttribute("axes");
        if (axes.length != 1) {
            throw node.unsupported("a reduction over other than one axis");
        }
        int[] shape = lastAxis(node, input, axes[0]);
        Value output = node.output(0, input.type(), reducedShape(node, shape));
        int width = shape[shape.length - 1];
        return new ReductionSteps.Reduce(input.offset(), output.offset(), input.size() / width, width, reduction, input.type() == ElementType.FLOAT);
    }

    private static int[] lastAxis(NodeContext node, Value input, long axis)
    {
        int rank = input.rank() + 1;
        long normalized = axis < 0 ? axis + rank : axis;
        if (normalized != rank - 1 || normalized == 0) {
            throw node.unsupported("an axis other than the last");
        }
        return input.rowShape();
    }

    private static int[] reducedShape(NodeContext node, int[] shape)
    {
        int[] reduced = shape.clone();
        if (node.intAttribute("keepdims", 1) != 0) {
            reduced[reduced.length - 1] = 1;
            return reduced;
        }
        return Arrays.copyOf(reduced, reduced.length - 1);
    }

    private static float[] toFloats(double[] values)
    {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static Value numeric(NodeContext node, Value value)
    {
        if (value.isText()) {
            throw node.unsupported("a string input");
        }
        return value;
    }
}
