package io.onyxml.store.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSetMultimap;
import com.google.common.collect.SetMultimap;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
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
 */
record GraphContents(SetMultimap<String, String> operators, List<OnnxMl.TensorProto> tensors, List<OnnxMl.SparseTensorProto> sparseTensors)
{
    static final String DEFAULT_DOMAIN = "ai.onnx";

    GraphContents
    {
        operators = ImmutableSetMultimap.copyOf(requireNonNull(operators, "operators is null"));
        tensors = ImmutableList.copyOf(requireNonNull(tensors, "tensors is null"));
        sparseTensors = ImmutableList.copyOf(requireNonNull(sparseTensors, "sparseTensors is null"));
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

        Deque<List<OnnxMl.NodeProto>> pending = new ArrayDeque<>();
        Deque<OnnxMl.GraphProto> graphs = new ArrayDeque<>();
        Deque<List<OnnxMl.AttributeProto>> attributes = new ArrayDeque<>();
        graphs.add(model.getGraph());
        for (OnnxMl.TrainingInfoProto training : model.getTrainingInfoList()) {
            graphs.add(training.getInitialization());
            graphs.add(training.getAlgorithm());
        }
        for (OnnxMl.FunctionProto function : model.getFunctionsList()) {
            pending.add(function.getNodeList());
            // default values of the function's attributes, which its nodes refer to
            attributes.add(function.getAttributeProtoList());
        }
        // iterative, so that deeply nested subgraphs cannot overflow the stack
        while (!graphs.isEmpty() || !pending.isEmpty() || !attributes.isEmpty()) {
            if (!graphs.isEmpty()) {
                OnnxMl.GraphProto graph = graphs.poll();
                tensors.addAll(graph.getInitializerList());
                for (OnnxMl.SparseTensorProto sparse : graph.getSparseInitializerList()) {
                    addSparse(sparse, tensors, sparseTensors);
                }
                pending.add(graph.getNodeList());
                continue;
            }
            if (!pending.isEmpty()) {
                for (OnnxMl.NodeProto node : pending.poll()) {
                    String domain = domain(node.getDomain());
                    if (!localFunctions.contains(domain + ":" + node.getOpType())) {
                        operators.put(domain, node.getOpType());
                    }
                    attributes.add(node.getAttributeList());
                }
                continue;
            }
            for (OnnxMl.AttributeProto attribute : attributes.poll()) {
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
                    graphs.add(attribute.getG());
                }
                graphs.addAll(attribute.getGraphsList());
            }
        }
        return new GraphContents(operators.build(), tensors.build(), sparseTensors.build());
    }

    static String domain(String domain)
    {
        return domain.isEmpty() ? DEFAULT_DOMAIN : domain;
    }

    private static void addSparse(OnnxMl.SparseTensorProto sparse, ImmutableList.Builder<OnnxMl.TensorProto> tensors, ImmutableList.Builder<OnnxMl.SparseTensorProto> sparseTensors)
    {
        sparseTensors.add(sparse);
        tensors.add(sparse.getValues());
        tensors.add(sparse.getIndices());
    }
}
