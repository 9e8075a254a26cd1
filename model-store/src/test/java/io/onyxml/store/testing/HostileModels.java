package io.onyxml.store.testing;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.onyxml.store.ElementType;
import io.onyxml.store.onnx.OnnxGraphBuilder;

import java.util.ArrayList;
import java.util.List;

import static io.onyxml.store.ElementType.BOOL;
import static io.onyxml.store.ElementType.FLOAT;
import static io.onyxml.store.ElementType.INT64;

/**
 * Small ONNX files that declare far more than they hold or that no runtime can serve, as an attacker or a careless
 * exporter would write them; the tests of every module check that Onyx refuses them, or registers them at no cost.
 */
public final class HostileModels
{
    private static final long DYNAMIC = -1;

    private HostileModels() {}

    /**
     * {@code y = sum(x)} over an input {@code x float[N, width]}: about a hundred bytes whatever the width.
     */
    public static byte[] wide(long width)
    {
        return new OnnxGraphBuilder("wide")
                .input("x", FLOAT, DYNAMIC, width)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("ReduceSum").inputs("x").outputs("y").add()
                .build();
    }

    /**
     * {@code y = x}, to build variants of.
     */
    public static OnnxMl.ModelProto identity()
    {
        return new OnnxGraphBuilder("identity")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("Identity").inputs("x").outputs("y").add()
                .buildProto();
    }

    /**
     * An operator of a domain no runtime provides without a custom operator library.
     */
    public static byte[] customOperator(String domain, String operator)
    {
        OnnxMl.ModelProto.Builder model = identity().toBuilder().addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(1));
        model.getGraphBuilder().setNode(0, model.getGraph().getNode(0).toBuilder().setDomain(domain).setOpType(operator));
        return model.build().toByteArray();
    }

    /**
     * A tensor {@code w} of a million floats kept in an external file {@code weights.bin}.
     */
    public static byte[] externalData()
    {
        return withInitializer(tensor("w", 1, 1 << 20)
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin")));
    }

    /**
     * A tensor {@code w} that declares {@code count} floats and holds 4 bytes.
     */
    public static byte[] undeclaredData(long count)
    {
        return withInitializer(tensor("w", 1, count).setRawData(ByteString.copyFrom(new byte[4])));
    }

    /**
     * An {@code Add} with one input: valid protobuf, but no runtime can build the graph.
     */
    public static byte[] unloadable()
    {
        return new OnnxGraphBuilder("bad_arity")
                .input("x", FLOAT, DYNAMIC, 1)
                .output("y", FLOAT, DYNAMIC, 1)
                .node("Add").inputs("x").outputs("y").add()
                .build();
    }

    /**
     * {@code y = x} for {@code x float[N, 1]} through operators nested in each other's subgraphs, outermost first:
     * each {@code Loop} (one iteration, {@code trips} times) carries the value into its body, each {@code If} (always
     * true) computes it in its then-branch. Every level adds three levels of protobuf messages (node, attribute,
     * graph) to the file.
     *
     * @param operators {@code "If"} or {@code "Loop"} per level, outermost first
     */
    public static byte[] nested(long trips, List<String> operators)
    {
        int depth = operators.size();
        // the value each level reads and the one it writes; an If branch reads from the enclosing scope
        String[] reads = new String[depth + 1];
        String[] writes = new String[depth + 1];
        reads[0] = "x";
        writes[0] = "y";
        for (int level = 0; level < depth; level++) {
            boolean loop = switch (operators.get(level)) {
                case "Loop" -> true;
                case "If" -> false;
                default -> throw new IllegalArgumentException("not If or Loop: " + operators.get(level));
            };
            reads[level + 1] = loop ? "v" + level : reads[level];
            writes[level + 1] = loop ? "v" + level + "_out" : "then" + level;
        }
        OnnxMl.NodeProto node = node("Identity", List.of(reads[depth]), writes[depth]).build();
        for (int level = depth - 1; level >= 0; level--) {
            if (operators.get(level).equals("Loop")) {
                OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder()
                        .setName("body" + level)
                        .addInput(scalar("i" + level, INT64))
                        .addInput(scalar("c" + level, BOOL))
                        .addInput(typed(reads[level + 1], FLOAT))
                        .addNode(node("Identity", List.of("c" + level), "c" + level + "_out"))
                        .addNode(node)
                        .addOutput(scalar("c" + level + "_out", BOOL))
                        .addOutput(typed(writes[level + 1], FLOAT))
                        .build();
                node = node("Loop", List.of("trips", "", reads[level]), writes[level]).addAttribute(graph("body", body)).build();
            }
            else {
                OnnxMl.GraphProto thenBranch = OnnxMl.GraphProto.newBuilder()
                        .setName("then" + level)
                        .addNode(node)
                        .addOutput(typed(writes[level + 1], FLOAT))
                        .build();
                OnnxMl.GraphProto elseBranch = OnnxMl.GraphProto.newBuilder()
                        .setName("else" + level)
                        .addNode(node("Identity", List.of(reads[level]), "else" + level))
                        .addOutput(typed("else" + level, FLOAT))
                        .build();
                node = node("If", List.of("flag"), writes[level])
                        .addAttribute(graph("then_branch", thenBranch))
                        .addAttribute(graph("else_branch", elseBranch))
                        .build();
            }
        }
        OnnxMl.ModelProto.Builder model = identity().toBuilder();
        model.getGraphBuilder().clearNode().addNode(node);
        if (operators.contains("Loop")) {
            model.getGraphBuilder().addInitializer(OnnxMl.TensorProto.newBuilder().setName("trips").setDataType(INT64.onnxCode()).addInt64Data(trips));
        }
        if (operators.contains("If")) {
            model.getGraphBuilder().addInitializer(OnnxMl.TensorProto.newBuilder().setName("flag").setDataType(BOOL.onnxCode()).addInt32Data(1));
        }
        return model.build().toByteArray();
    }

    /**
     * {@code y = x} for {@code x float[N, 1]} through {@code count} If operators one after the other, each holding two
     * one-node subgraphs: many subgraphs side by side, none nested.
     */
    public static byte[] sideBySide(int count)
    {
        List<OnnxMl.NodeProto> nodes = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            String input = index == 0 ? "x" : "y" + (index - 1);
            String output = index == count - 1 ? "y" : "y" + index;
            OnnxMl.GraphProto thenBranch = OnnxMl.GraphProto.newBuilder()
                    .setName("then" + index)
                    .addNode(node("Identity", List.of(input), "then" + index))
                    .addOutput(typed("then" + index, FLOAT))
                    .build();
            OnnxMl.GraphProto elseBranch = OnnxMl.GraphProto.newBuilder()
                    .setName("else" + index)
                    .addNode(node("Neg", List.of(input), "else" + index))
                    .addOutput(typed("else" + index, FLOAT))
                    .build();
            nodes.add(node("If", List.of("flag"), output)
                    .addAttribute(graph("then_branch", thenBranch))
                    .addAttribute(graph("else_branch", elseBranch))
                    .build());
        }
        OnnxMl.ModelProto.Builder model = identity().toBuilder();
        model.getGraphBuilder()
                .clearNode()
                .addAllNode(nodes)
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("flag").setDataType(BOOL.onnxCode()).addInt32Data(1));
        return model.build().toByteArray();
    }

    private static OnnxMl.NodeProto.Builder node(String operator, List<String> inputs, String output)
    {
        return OnnxMl.NodeProto.newBuilder().setOpType(operator).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.AttributeProto graph(String name, OnnxMl.GraphProto graph)
    {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(graph).build();
    }

    /**
     * A subgraph's scalar value of an element type.
     */
    private static OnnxMl.ValueInfoProto scalar(String name, ElementType type)
    {
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(type.onnxCode())
                        .setShape(OnnxMl.TensorShapeProto.getDefaultInstance())))
                .build();
    }

    /**
     * A subgraph's value of an element type and unknown shape.
     */
    private static OnnxMl.ValueInfoProto typed(String name, ElementType type)
    {
        return OnnxMl.ValueInfoProto.newBuilder()
                .setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.onnxCode())))
                .build();
    }

    public static byte[] withInitializer(OnnxMl.TensorProto.Builder tensor)
    {
        OnnxMl.ModelProto.Builder model = identity().toBuilder();
        model.getGraphBuilder().addInitializer(tensor);
        return model.build().toByteArray();
    }

    /**
     * A tensor of an ONNX element type code and shape, without data.
     */
    public static OnnxMl.TensorProto.Builder tensor(String name, int type, long... dimensions)
    {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type);
        for (long dimension : dimensions) {
            tensor.addDims(dimension);
        }
        return tensor;
    }
}
