package io.onyxml.store.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.onyxml.store.ElementType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * Builds ONNX models directly on the ONNX protobuf classes: the graphs that training exports and the models of tests. A dimension of -1 is a dynamic axis
 * (written as the symbolic dimension {@code N}).
 */
public final class OnnxGraphBuilder
{
    public static final String ML_DOMAIN = "ai.onnx.ml";

    private final OnnxMl.GraphProto.Builder graph;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private long irVersion = 8;
    private String producer = "onyx-tests";
    private int nodeCount;

    public OnnxGraphBuilder(String name)
    {
        graph = OnnxMl.GraphProto.newBuilder().setName(requireNonNull(name, "name is null"));
        opsets.put("", 13L);
    }

    public OnnxGraphBuilder irVersion(long irVersion)
    {
        this.irVersion = irVersion;
        return this;
    }

    public OnnxGraphBuilder producer(String producer)
    {
        this.producer = requireNonNull(producer, "producer is null");
        return this;
    }

    public OnnxGraphBuilder opset(String domain, long version)
    {
        opsets.put(domain, version);
        return this;
    }

    public OnnxGraphBuilder metadata(String key, String value)
    {
        metadata.put(key, value);
        return this;
    }

    public OnnxGraphBuilder input(String name, ElementType type, long... shape)
    {
        graph.addInput(valueInfo(name, tensorType(type, shape)));
        return this;
    }

    /**
     * Declares the type of an intermediate tensor, for operators whose output type checkers cannot infer.
     */
    public OnnxGraphBuilder valueInfo(String name, ElementType type, long... shape)
    {
        graph.addValueInfo(valueInfo(name, tensorType(type, shape)));
        return this;
    }

    public OnnxGraphBuilder output(String name, ElementType type, long... shape)
    {
        graph.addOutput(valueInfo(name, tensorType(type, shape)));
        return this;
    }

    /**
     * An output holding one map per row, as the ZipMap operator writes.
     */
    public OnnxGraphBuilder sequenceOfMapsOutput(String name, ElementType keyType, ElementType valueType)
    {
        OnnxMl.TypeProto valueTensor = OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(valueType.onnxCode()))
                .build();
        OnnxMl.TypeProto map = OnnxMl.TypeProto.newBuilder()
                .setMapType(OnnxMl.TypeProto.Map.newBuilder().setKeyType(keyType.onnxCode()).setValueType(valueTensor))
                .build();
        OnnxMl.TypeProto sequence = OnnxMl.TypeProto.newBuilder()
                .setSequenceType(OnnxMl.TypeProto.Sequence.newBuilder().setElemType(map))
                .build();
        graph.addOutput(valueInfo(name, sequence));
        return this;
    }

    public OnnxGraphBuilder floatInitializer(String name, float[] values, long... shape)
    {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return initializer(name, ElementType.FLOAT, buffer, shape);
    }

    public OnnxGraphBuilder doubleInitializer(String name, double[] values, long... shape)
    {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return initializer(name, ElementType.DOUBLE, buffer, shape);
    }

    public OnnxGraphBuilder longInitializer(String name, long[] values, long... shape)
    {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return initializer(name, ElementType.INT64, buffer, shape);
    }

    public OnnxGraphBuilder stringInitializer(String name, List<String> values, long... shape)
    {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(ElementType.STRING.onnxCode());
        values.forEach(value -> tensor.addStringData(ByteString.copyFrom(value, UTF_8)));
        for (long dimension : shape) {
            tensor.addDims(dimension);
        }
        graph.addInitializer(tensor);
        return this;
    }

    private OnnxGraphBuilder initializer(String name, ElementType type, ByteBuffer littleEndian, long... shape)
    {
        OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.onnxCode())
                .setRawData(ByteString.copyFrom(littleEndian.array()));
        for (long dimension : shape) {
            tensor.addDims(dimension);
        }
        graph.addInitializer(tensor);
        return this;
    }

    public NodeBuilder node(String opType)
    {
        return new NodeBuilder("", opType);
    }

    public NodeBuilder mlNode(String opType)
    {
        return new NodeBuilder(ML_DOMAIN, opType);
    }

    public OnnxMl.ModelProto buildProto()
    {
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName(producer)
                .setProducerVersion("1")
                .setGraph(graph);
        opsets.forEach((domain, version) -> model.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        metadata.forEach((key, value) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    public byte[] build()
    {
        return buildProto().toByteArray();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TypeProto type)
    {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static OnnxMl.TypeProto tensorType(ElementType type, long... shape)
    {
        OnnxMl.TensorShapeProto.Builder dimensions = OnnxMl.TensorShapeProto.newBuilder();
        for (long dimension : shape) {
            OnnxMl.TensorShapeProto.Dimension.Builder builder = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (dimension < 0) {
                builder.setDimParam("N");
            }
            else {
                builder.setDimValue(dimension);
            }
            dimensions.addDim(builder);
        }
        return OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(dimensions))
                .build();
    }

    public final class NodeBuilder
    {
        private final OnnxMl.NodeProto.Builder node;

        private NodeBuilder(String domain, String opType)
        {
            node = OnnxMl.NodeProto.newBuilder().setDomain(domain).setOpType(opType).setName(opType + "_" + nodeCount++);
        }

        public NodeBuilder inputs(String... names)
        {
            node.addAllInput(List.of(names));
            return this;
        }

        public NodeBuilder outputs(String... names)
        {
            node.addAllOutput(List.of(names));
            return this;
        }

        public NodeBuilder attribute(String name, long value)
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value));
            return this;
        }

        public NodeBuilder attribute(String name, float value)
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value));
            return this;
        }

        public NodeBuilder attribute(String name, String value)
        {
            node.addAttribute(OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFrom(value, UTF_8)));
            return this;
        }

        public NodeBuilder ints(String name, long... values)
        {
            OnnxMl.AttributeProto.Builder attribute = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long value : values) {
                attribute.addInts(value);
            }
            node.addAttribute(attribute);
            return this;
        }

        public NodeBuilder floats(String name, float... values)
        {
            OnnxMl.AttributeProto.Builder attribute = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
            for (float value : values) {
                attribute.addFloats(value);
            }
            node.addAttribute(attribute);
            return this;
        }

        public NodeBuilder strings(String name, String... values)
        {
            OnnxMl.AttributeProto.Builder attribute = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
            for (String value : values) {
                attribute.addStrings(ByteString.copyFrom(value, UTF_8));
            }
            node.addAttribute(attribute);
            return this;
        }

        public OnnxGraphBuilder add()
        {
            graph.addNode(node);
            return OnnxGraphBuilder.this;
        }
    }
}
