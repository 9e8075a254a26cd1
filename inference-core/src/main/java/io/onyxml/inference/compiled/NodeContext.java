package io.onyxml.inference.compiled;

import ai.onnx.proto.OnnxMl;
import io.onyxml.store.ElementType;

import java.util.List;
import java.util.Optional;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * What an {@link OperatorCompiler} sees of one node: its inputs (row values or constants), its attributes, and the
 * means to define its outputs.
 */
public final class NodeContext
{
    private final OnnxMl.NodeProto node;
    private final GraphCompiler graph;

    NodeContext(OnnxMl.NodeProto node, GraphCompiler graph)
    {
        this.node = requireNonNull(node, "node is null");
        this.graph = requireNonNull(graph, "graph is null");
    }

    public OnnxMl.NodeProto proto()
    {
        return node;
    }

    public String opType()
    {
        return node.getOpType();
    }

    /**
     * The version of the operator set this node's domain was imported with.
     */
    public long opsetVersion()
    {
        return graph.opsetVersion(node.getDomain());
    }

    public int inputCount()
    {
        return node.getInputCount();
    }

    /**
     * Whether optional input {@code index} is given (present and not the empty name).
     */
    public boolean hasInput(int index)
    {
        return index < node.getInputCount() && !node.getInput(index).isEmpty();
    }

    public boolean isConstant(int index)
    {
        return graph.constant(input(index)).isPresent();
    }

    /**
     * A row value input; a constant input is refused (nodes of constants only are not evaluated per row).
     */
    public Value value(int index)
    {
        return graph.value(input(index)).orElseThrow(() -> unsupported(format("input %s ('%s') is a constant where a row value is expected", index, input(index))));
    }

    /**
     * An input as a value of the frame, whether a row value or a constant (which the frame then holds, flat).
     */
    public Value operand(int index)
    {
        return graph.value(input(index)).orElseGet(() -> {
            constant(index);
            return graph.materialize(input(index));
        });
    }

    public Constant constant(int index)
    {
        return graph.constant(input(index)).orElseThrow(() -> unsupported(format("input %s ('%s') is not a constant", index, input(index))));
    }

    public int outputCount()
    {
        return node.getOutputCount();
    }

    public boolean hasOutput(int index)
    {
        return index < node.getOutputCount() && !node.getOutput(index).isEmpty();
    }

    /**
     * Defines output {@code index} as a new row value of this type and shape, and returns where it lies.
     */
    public Value output(int index, ElementType type, int... rowShape)
    {
        return graph.define(node.getOutput(index), type, rowShape);
    }

    /**
     * Reserves float scratch for the step while it runs ({@link Frame#floats}, shared by all steps).
     */
    public void reserveScratch(int floats)
    {
        graph.reserveScratch(floats);
    }

    /**
     * Frame slots for this node's own use while a row is evaluated (sums, flags), in no graph tensor: as the frame,
     * they belong to one thread.
     */
    public Value scratch(ElementType type, int... rowShape)
    {
        return graph.scratch(format("%s node '%s' scratch", node.getOpType(), node.getName()), type, rowShape);
    }

    /**
     * Defines output {@code index} as an existing value seen with another shape (no step copies it).
     */
    public void alias(int index, Value value, int... rowShape)
    {
        graph.alias(node.getOutput(index), value.reshaped(node.getOutput(index), rowShape));
    }

    /**
     * Defines output {@code index} as a map per row (a ZipMap): the keys, the same in every row, and the values, one
     * per key in the key order.
     */
    public void mapOutput(int index, Value values, List<Object> keys)
    {
        alias(index, values, values.rowShape());
        graph.defineMapKeys(node.getOutput(index), keys);
    }

    /**
     * Defines output {@code index} as a constant.
     */
    public void constantOutput(int index, Constant constant)
    {
        graph.defineConstant(node.getOutput(index), constant);
    }

    public Optional<OnnxMl.AttributeProto> attribute(String name)
    {
        for (OnnxMl.AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals(name)) {
                if (!attribute.getRefAttrName().isEmpty()) {
                    throw unsupported("attribute '" + name + "' refers to a function attribute");
                }
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    public long intAttribute(String name, long defaultValue)
    {
        return attribute(name).map(OnnxMl.AttributeProto::getI).orElse(defaultValue);
    }

    public float floatAttribute(String name, float defaultValue)
    {
        return attribute(name).map(OnnxMl.AttributeProto::getF).orElse(defaultValue);
    }

    public String stringAttribute(String name, String defaultValue)
    {
        return attribute(name).map(attribute -> attribute.getS().toStringUtf8()).orElse(defaultValue);
    }

    public long[] intsAttribute(String name)
    {
        return attribute(name).map(attribute -> attribute.getIntsList().stream().mapToLong(Long::longValue).toArray()).orElse(new long[0]);
    }

    public float[] floatsAttribute(String name)
    {
        return attribute(name).map(attribute -> {
            float[] values = new float[attribute.getFloatsCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = attribute.getFloats(i);
            }
            return values;
        }).orElse(new float[0]);
    }

    public String[] stringsAttribute(String name)
    {
        return attribute(name).map(attribute -> attribute.getStringsList().stream().map(bytes -> bytes.toStringUtf8()).toArray(String[]::new)).orElse(new String[0]);
    }

    public Optional<Constant> tensorAttribute(String name)
    {
        return attribute(name).filter(OnnxMl.AttributeProto::hasT).map(attribute -> Constant.decode(attribute.getT()));
    }

    public UnsupportedGraphException unsupported(String why)
    {
        return new UnsupportedGraphException(format("%s node '%s': %s", node.getOpType(), node.getName(), why));
    }

    private String input(int index)
    {
        if (!hasInput(index)) {
            throw unsupported("input " + index + " is missing");
        }
        return node.getInput(index);
    }
}
