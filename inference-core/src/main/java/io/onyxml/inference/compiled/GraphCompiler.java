package io.onyxml.inference.compiled;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import io.onyxml.store.ElementType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Turns the main graph of an ONNX model into a list of steps over one row's frame: each graph input and node output
 * gets its place in the frame, initializers and constant nodes become constants, and each node is compiled by the
 * {@link Operators} registered for its type. Anything it does not handle throws {@link UnsupportedGraphException}.
 */
final class GraphCompiler
{
    // the frame of a row is small by design (at most 512 KiB per thread and model, whatever a file declares): a graph
    // with wider values per row runs on ONNX Runtime
    static final int MAX_FRAME_VALUES = 1 << 16;

    private final OnnxMl.ModelProto model;
    private final Map<String, Long> opsets = new HashMap<>();
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Constant> constants = new HashMap<>();
    private final Map<String, List<Object>> mapKeys = new HashMap<>();
    private final Set<String> inputNames = new HashSet<>();
    private final Set<String> operatorTypes = new HashSet<>();
    private final Map<String, Value> materialized = new HashMap<>();
    private final List<CompiledModel.Preset> presets = new ArrayList<>();
    private int numberSlots;
    private int textSlots;
    private int scratchFloats;

    private GraphCompiler(OnnxMl.ModelProto model)
    {
        this.model = requireNonNull(model, "model is null");
        for (OnnxMl.OperatorSetIdProto opset : model.getOpsetImportList()) {
            opsets.put(domain(opset.getDomain()), opset.getVersion());
        }
    }

    static CompiledModel compile(OnnxMl.ModelProto model)
    {
        return new GraphCompiler(model).compile();
    }

    private CompiledModel compile()
    {
        OnnxMl.GraphProto graph = model.getGraph();
        if (model.getFunctionsCount() > 0) {
            throw new UnsupportedGraphException("the model defines local functions");
        }
        if (graph.getSparseInitializerCount() > 0) {
            throw new UnsupportedGraphException("the model has sparse initializers");
        }
        for (OnnxMl.TensorProto initializer : graph.getInitializerList()) {
            constants.put(initializer.getName(), Constant.decode(initializer));
        }
        ImmutableList.Builder<Value> inputs = ImmutableList.builder();
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            if (constants.containsKey(input.getName())) {
                continue;
            }
            inputs.add(defineInput(input));
            inputNames.add(input.getName());
        }
        List<Step> steps = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            OperatorCompiler compiler = Operators.forNode(domain(node.getDomain()), node.getOpType())
                    .orElseThrow(() -> new UnsupportedGraphException(format("operator %s of domain %s is not compiled", node.getOpType(), domain(node.getDomain()))));
            Step step = compiler.compile(new NodeContext(node, this));
            operatorTypes.add(node.getOpType());
            for (String output : node.getOutputList()) {
                if (!output.isEmpty() && !values.containsKey(output) && !constants.containsKey(output)) {
                    throw new UnsupportedGraphException(format("%s node '%s' left output '%s' undefined", node.getOpType(), node.getName(), output));
                }
            }
            if (step != null) {
                steps.add(step);
            }
        }
        ImmutableList.Builder<CompiledModel.Output> outputs = ImmutableList.builder();
        for (OnnxMl.ValueInfoProto output : graph.getOutputList()) {
            Value value = value(output.getName()).orElseThrow(() -> new UnsupportedGraphException(format("output '%s' is a constant or is not computed", output.getName())));
            outputs.add(new CompiledModel.Output(output.getName(), value, Optional.ofNullable(mapKeys.get(output.getName()))));
        }
        return new CompiledModel(inputs.build(), outputs.build(), steps, presets, numberSlots, textSlots, scratchFloats, operatorTypes);
    }

    private Value defineInput(OnnxMl.ValueInfoProto input)
    {
        if (!input.getType().hasTensorType()) {
            throw new UnsupportedGraphException(format("input '%s' is not a tensor", input.getName()));
        }
        OnnxMl.TypeProto.Tensor tensor = input.getType().getTensorType();
        ElementType type = ElementType.fromOnnxCode(tensor.getElemType());
        List<OnnxMl.TensorShapeProto.Dimension> dims = tensor.getShape().getDimList();
        if (dims.isEmpty()) {
            throw new UnsupportedGraphException(format("input '%s' has no batch axis", input.getName()));
        }
        int[] rowShape = new int[dims.size() - 1];
        for (int axis = 1; axis < dims.size(); axis++) {
            OnnxMl.TensorShapeProto.Dimension dim = dims.get(axis);
            if (!dim.hasDimValue() || dim.getDimValue() <= 0 || dim.getDimValue() > MAX_FRAME_VALUES) {
                throw new UnsupportedGraphException(format("input '%s' has a dynamic or unusual axis %s", input.getName(), axis));
            }
            rowShape[axis - 1] = (int) dim.getDimValue();
        }
        return define(input.getName(), checkedType(type, input.getName()), rowShape);
    }

    private static ElementType checkedType(ElementType type, String name)
    {
        return switch (type) {
            case FLOAT, DOUBLE, INT64, INT32, BOOL, STRING -> type;
            default -> throw new UnsupportedGraphException(format("'%s' has element type %s", name, type.displayName()));
        };
    }

    long opsetVersion(String domain)
    {
        Long version = opsets.get(domain(domain));
        if (version == null) {
            throw new UnsupportedGraphException("the model does not import the operator set of domain " + domain(domain));
        }
        return version;
    }

    Optional<Value> value(String name)
    {
        return Optional.ofNullable(values.get(name));
    }

    Optional<Constant> constant(String name)
    {
        return Optional.ofNullable(constants.get(name));
    }

    Value define(String name, ElementType type, int[] rowShape)
    {
        checkNew(name);
        Value value = allocate(name, type, rowShape);
        values.put(name, value);
        return value;
    }

    /**
     * Frame slots that no graph tensor names: a step's own per-row working space.
     */
    Value scratch(String label, ElementType type, int[] rowShape)
    {
        return allocate(label, type, rowShape);
    }

    private Value allocate(String name, ElementType type, int[] rowShape)
    {
        int size = 1;
        for (int dimension : rowShape) {
            if (dimension <= 0) {
                throw new UnsupportedGraphException(format("'%s' would have an empty or dynamic axis", name));
            }
            size = (int) Math.min((long) size * dimension, MAX_FRAME_VALUES + 1L);
        }
        if (size > MAX_FRAME_VALUES) {
            throw new UnsupportedGraphException(format("'%s' is too large to hold per row", name));
        }
        boolean text = checkedType(type, name) == ElementType.STRING;
        int offset = text ? textSlots : numberSlots;
        if ((long) offset + size > MAX_FRAME_VALUES) {
            throw new UnsupportedGraphException("the graph's values of one row are too large to hold in the JVM");
        }
        if (text) {
            textSlots += size;
        }
        else {
            numberSlots += size;
        }
        return new Value(name, type, rowShape, offset, size);
    }

    /**
     * A constant as a value of the frame, written once when a frame is made, so that steps read constants and row
     * values alike.
     */
    Value materialize(String name)
    {
        Value existing = materialized.get(name);
        if (existing != null) {
            return existing;
        }
        Constant constant = constants.get(name);
        String slotName = "constant " + name;
        int size = constant.size();
        boolean text = constant.type() == ElementType.STRING;
        int offset = text ? textSlots : numberSlots;
        if ((long) offset + size > MAX_FRAME_VALUES) {
            throw new UnsupportedGraphException("the graph's values of one row are too large to hold in the JVM");
        }
        if (text) {
            textSlots += size;
        }
        else {
            numberSlots += size;
        }
        Value value = new Value(slotName, checkedType(constant.type(), name), new int[] {size}, offset, size);
        presets.add(new CompiledModel.Preset(value, constant));
        materialized.put(name, value);
        return value;
    }

    /**
     * Reserves float scratch that a step may use while it runs ({@link Frame#floats}).
     */
    void reserveScratch(int floats)
    {
        if (floats > MAX_FRAME_VALUES) {
            throw new UnsupportedGraphException("a step needs more scratch than a row may take");
        }
        scratchFloats = Math.max(scratchFloats, floats);
    }

    void alias(String name, Value value)
    {
        checkNew(name);
        values.put(name, value);
    }

    void defineConstant(String name, Constant constant)
    {
        checkNew(name);
        constants.put(name, constant);
    }

    void defineMapKeys(String name, List<Object> keys)
    {
        mapKeys.put(name, ImmutableList.copyOf(keys));
    }

    private void checkNew(String name)
    {
        if (values.containsKey(name) || constants.containsKey(name)) {
            throw new UnsupportedGraphException(format("'%s' is defined twice", name));
        }
    }

    private static String domain(String domain)
    {
        return domain.isEmpty() ? "ai.onnx" : domain;
    }
}
