package io.onyxml.store.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSetMultimap;
import com.google.common.collect.SetMultimap;
import com.google.common.math.LongMath;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything a model's graphs hold, gathered in one pass over the main graph, its subgraphs (the branches and
 * bodies of {@code If}, {@code Loop}, {@code Scan}), its training graphs and its local functions (with their
 * attributes' default values): the operators by domain, and every tensor stored in the file (initializers and
 * tensor-valued attributes such as {@code Constant} values).
 * The walk keeps references into the parsed model and copies no tensor data.
 *
 * @param operators operator types by domain ({@code ai.onnx} for the default domain), without calls of local
 * functions
 * @param tensors dense tensors, including the values and indices of sparse ones
 * @param sparseTensors sparse tensors, which ONNX Runtime expands to their dense shape
 * @param subgraphDepth how deep subgraphs nest: 0 without subgraphs, 1 for the branches of an {@code If} in the main
 * graph, 2 for an {@code If} in those branches
 * @param nestingWeight the nodes of subgraphs, each counted 2<sup>depth</sup> times (saturating): what loading them
 * costs ONNX Runtime, whose load time doubles with each level of nesting
 * @param endlessLoop a {@code Loop} with neither a trip count nor a condition, which ONNX defines to run forever
 */
record GraphContents(
        SetMultimap<String, String> operators,
        List<OnnxMl.TensorProto> tensors,
        List<OnnxMl.SparseTensorProto> sparseTensors,
        int subgraphDepth,
        long nestingWeight,
        Optional<OnnxMl.NodeProto> endlessLoop)
{
    static final String DEFAULT_DOMAIN = "ai.onnx";

    GraphContents
    {
        operators = ImmutableSetMultimap.copyOf(requireNonNull(operators, "operators is null"));
        tensors = ImmutableList.copyOf(requireNonNull(tensors, "tensors is null"));
        sparseTensors = ImmutableList.copyOf(requireNonNull(sparseTensors, "sparseTensors is null"));
        requireNonNull(endlessLoop, "endlessLoop is null");
    }

    static GraphContents of(OnnxMl.ModelProto model)
    {
        Set<String> localFunctions = new HashSet<>();
        for (OnnxMl.FunctionProto function : model.getFunctionsList()) {
            localFunctions.add(domain(function.getDomain()) + ":" + function.getName());
        }
        ImmutableSetMultimap.Builder<String, String> operators = ImmutableSetMultimap.builder();
        ImmutableList.Builder<OnnxMl.TensorProto> tensors = ImmutableList.builder();
        ImmutableList.Builder<OnnxMl.SparseTensorProto> sparseTensors = ImmutableList.builder();

        // each list with the nesting depth of its graph: 0 for the main, training and function graphs
        Deque<Nested<OnnxMl.GraphProto>> graphs = new ArrayDeque<>();
        Deque<Nested<List<OnnxMl.NodeProto>>> pending = new ArrayDeque<>();
        Deque<Nested<List<OnnxMl.AttributeProto>>> attributes = new ArrayDeque<>();
        graphs.add(new Nested<>(model.getGraph(), 0));
        for (OnnxMl.TrainingInfoProto training : model.getTrainingInfoList()) {
            graphs.add(new Nested<>(training.getInitialization(), 0));
            graphs.add(new Nested<>(training.getAlgorithm(), 0));
        }
        for (OnnxMl.FunctionProto function : model.getFunctionsList()) {
            pending.add(new Nested<>(function.getNodeList(), 0));
            // default values of the function's attributes, which its nodes refer to
            attributes.add(new Nested<>(function.getAttributeProtoList(), 0));
        }
        int subgraphDepth = 0;
        long nestingWeight = 0;
        Optional<OnnxMl.NodeProto> endlessLoop = Optional.empty();
        // iterative, so that deeply nested subgraphs cannot overflow the stack
        while (!graphs.isEmpty() || !pending.isEmpty() || !attributes.isEmpty()) {
            if (!graphs.isEmpty()) {
                Nested<OnnxMl.GraphProto> graph = graphs.poll();
                subgraphDepth = Math.max(subgraphDepth, graph.depth());
                tensors.addAll(graph.value().getInitializerList());
                for (OnnxMl.SparseTensorProto sparse : graph.value().getSparseInitializerList()) {
                    addSparse(sparse, tensors, sparseTensors);
                }
                pending.add(new Nested<>(graph.value().getNodeList(), graph.depth()));
                continue;
            }
            if (!pending.isEmpty()) {
                Nested<List<OnnxMl.NodeProto>> nodes = pending.poll();
                if (nodes.depth() > 0) {
                    nestingWeight = LongMath.saturatedAdd(nestingWeight, LongMath.saturatedMultiply(nodes.value().size(), LongMath.saturatedPow(2, nodes.depth())));
                }
                for (OnnxMl.NodeProto node : nodes.value()) {
                    String domain = domain(node.getDomain());
                    if (!localFunctions.contains(domain + ":" + node.getOpType())) {
                        operators.put(domain, node.getOpType());
                    }
                    if (endlessLoop.isEmpty() && isEndlessLoop(domain, node)) {
                        endlessLoop = Optional.of(node);
                    }
                    attributes.add(new Nested<>(node.getAttributeList(), nodes.depth()));
                }
                continue;
            }
            Nested<List<OnnxMl.AttributeProto>> nodeAttributes = attributes.poll();
            for (OnnxMl.AttributeProto attribute : nodeAttributes.value()) {
                if (attribute.hasT()) {
                    tensors.add(attribute.getT());
                }
                tensors.addAll(attribute.getTensorsList());
                if (attribute.hasSparseTensor()) {
                    addSparse(attribute.getSparseTensor(), tensors, sparseTensors);
                }
                for (OnnxMl.SparseTensorProto sparse : attribute.getSparseTensorsList()) {
                    addSparse(sparse, tensors, sparseTensors);
                }
                if (attribute.hasG()) {
                    graphs.add(new Nested<>(attribute.getG(), nodeAttributes.depth() + 1));
                }
                for (OnnxMl.GraphProto graph : attribute.getGraphsList()) {
                    graphs.add(new Nested<>(graph, nodeAttributes.depth() + 1));
                }
            }
        }
        return new GraphContents(operators.build(), tensors.build(), sparseTensors.build(), subgraphDepth, nestingWeight, endlessLoop);
    }

    static String domain(String domain)
    {
        return domain.isEmpty() ? DEFAULT_DOMAIN : domain;
    }

    /**
     * A {@code Loop} whose inputs name neither the maximum trip count nor the condition: {@code for (i = 0; ; i++)}.
     */
    private static boolean isEndlessLoop(String domain, OnnxMl.NodeProto node)
    {
        if (!domain.equals(DEFAULT_DOMAIN) || !node.getOpType().equals("Loop")) {
            return false;
        }
        boolean tripCount = node.getInputCount() > 0 && !node.getInput(0).isEmpty();
        boolean condition = node.getInputCount() > 1 && !node.getInput(1).isEmpty();
        return !tripCount && !condition;
    }

    private record Nested<T>(T value, int depth) {}

    private static void addSparse(OnnxMl.SparseTensorProto sparse, ImmutableList.Builder<OnnxMl.TensorProto> tensors, ImmutableList.Builder<OnnxMl.SparseTensorProto> sparseTensors)
    {
        sparseTensors.add(sparse);
        tensors.add(sparse.getValues());
        tensors.add(sparse.getIndices());
    }
}
