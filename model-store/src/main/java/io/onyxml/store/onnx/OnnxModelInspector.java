package io.onyxml.store.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelNames;
import io.onyxml.store.ModelSignature;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnnxInfo;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueKind;
import io.onyxml.store.ValueSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static com.google.common.collect.ImmutableSet.toImmutableSet;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.MODEL_TOO_LARGE;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static io.onyxml.store.ValueSpec.DYNAMIC;
import static java.lang.String.format;

/**
 * Reads the signature, operator sets, operators and classifier facts of an ONNX file from its protobuf form, and
 * refuses a file whose declarations its bytes do not back (see {@link StoredTensors}) or whose subgraphs nest so deeply
 * that ONNX Runtime would take too long to load it. The parsed model refers to the given buffer instead of copying
 * tensor data, so the heap this takes is a small part of the file's size; a file of very many small messages, whose
 * objects would take more than a quarter of the heap, is refused before it is parsed (see {@link ParsedSize}).
 */
public final class OnnxModelInspector
{
    private static final long MAX_DEFAULT_CLASSES = 100_000;
    /**
     * Loading a node nested d subgraphs deep costs ONNX Runtime (1.28) about 2<sup>d</sup> times as much as loading one
     * of the main graph (measured on 2 cores: 12 nested Loops load in 45 ms, 16 in 1.3 s, 20 in 12 s, 24 in over a
     * minute; 31, the deepest protobuf parses, would take hours). Nested nodes that count up to this weight load in
     * about a second.
     */
    private static final long MAX_NESTING_WEIGHT = 1 << 18;
    private static final Set<String> CLASSIFIERS = ImmutableSet.of("LinearClassifier", "TreeEnsembleClassifier", "SVMClassifier", "ZipMap");
    private static final Set<String> REGRESSORS = ImmutableSet.of("LinearRegressor", "TreeEnsembleRegressor", "SVMRegressor");

    private OnnxModelInspector() {}

    /**
     * @param source names the file in error messages, e.g. the path or the model being registered
     */
    public static OnnxModelDescription inspect(ByteBuffer model, String source)
    {
        OnnxMl.ModelProto proto = parse(model, source);
        if (proto.getIrVersion() <= 0 || !proto.hasGraph()) {
            throw new OnyxException(INVALID_MODEL_FILE, format("%s is not an ONNX model: it has no IR version or no graph", source));
        }
        OnnxMl.GraphProto graph = proto.getGraph();
        GraphContents contents = GraphContents.of(proto);
        StoredTensors.check(contents, model.remaining(), source);
        checkNesting(contents, source);
        contents.endlessLoop().ifPresent(loop -> {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "%s has a Loop operator%s with neither a trip count nor a condition, which ONNX defines to run forever; give it a maximum trip count or a condition",
                    source,
                    loop.getName().isEmpty() ? "" : " '" + ModelNames.printable(loop.getName()) + "'"));
        });

        Set<String> initializers = graph.getInitializerList().stream()
                .map(OnnxMl.TensorProto::getName)
                .collect(toImmutableSet());
        List<ValueSpec> inputs = graph.getInputList().stream()
                .filter(input -> !initializers.contains(input.getName()))
                .map(input -> valueSpec(input, source))
                .collect(toImmutableList());
        List<ValueSpec> outputs = graph.getOutputList().stream()
                .map(output -> valueSpec(output, source))
                .collect(toImmutableList());
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new OnyxException(INVALID_MODEL_FILE, format("%s has no %s: Onyx needs a graph with at least one input and one output", source, inputs.isEmpty() ? "inputs" : "outputs"));
        }
        checkNames(inputs, "input", source);
        checkNames(outputs, "output", source);

        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OnnxMl.OperatorSetIdProto opset : proto.getOpsetImportList()) {
            opsets.put(opset.getDomain().isEmpty() ? "ai.onnx" : opset.getDomain(), opset.getVersion());
        }
        OnnxInfo info = new OnnxInfo(proto.getIrVersion(), opsets, proto.getProducerName(), proto.getProducerVersion());

        ImmutableMap.Builder<String, String> metadata = ImmutableMap.builder();
        proto.getMetadataPropsList().forEach(entry -> metadata.put(entry.getKey(), entry.getValue()));

        Optional<ModelTask> task = task(graph);
        List<String> classLabels = classLabels(graph);
        Optional<Long> classes = labelAndProbabilities(outputs);
        if (task.isEmpty() && classes.isPresent()) {
            // exported without ai.onnx.ml operators (PyTorch, Keras): a label next to class probabilities
            task = Optional.of(ModelTask.CLASSIFICATION);
            if (classLabels.isEmpty() && classes.get() > 0 && classes.get() <= MAX_DEFAULT_CLASSES) {
                classLabels = LongStream.range(0, classes.get()).mapToObj(Long::toString).collect(toImmutableList());
            }
        }
        return new OnnxModelDescription(info, new ModelSignature(inputs, outputs), task, classLabels, metadata.buildKeepingLast(), contents.operators());
    }

    private static OnnxMl.ModelProto parse(ByteBuffer model, String source)
    {
        long heap;
        try {
            heap = ParsedSize.estimate(codedInput(model), model.remaining(), OnnxMl.ModelProto.getDescriptor());
        }
        catch (IOException | RuntimeException e) {
            throw new OnyxException(INVALID_MODEL_FILE, format("%s is not a valid ONNX model: %s", source, e.getMessage()), e);
        }
        long budget = Runtime.getRuntime().maxMemory() / 4;
        if (heap > budget) {
            throw new OnyxException(MODEL_TOO_LARGE, format(
                    "%s would take about %s bytes of the JVM's heap to read, more than the %s bytes (a quarter of the heap) that Onyx lets one model take: " +
                            "protobuf makes an object of each message and value of the file, and this one holds very many small ones",
                    source,
                    heap,
                    budget));
        }
        try {
            return OnnxMl.ModelProto.parseFrom(codedInput(model));
        }
        catch (IOException | RuntimeException e) {
            throw new OnyxException(INVALID_MODEL_FILE, format("%s is not a valid ONNX model: %s", source, e.getMessage()), e);
        }
    }

    /**
     * An immutable view whose bytes fields (raw tensor data) point into the buffer, a mapped file, instead of being
     * copied onto the heap.
     */
    private static CodedInputStream codedInput(ByteBuffer model)
    {
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(model.asReadOnlyBuffer()).newCodedInput();
        input.setSizeLimit(Integer.MAX_VALUE);
        input.enableAliasing(true);
        return input;
    }

    private static void checkNesting(GraphContents contents, String source)
    {
        if (contents.nestingWeight() > MAX_NESTING_WEIGHT) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "%s nests subgraphs (the bodies and branches of Loop, If and Scan) %s levels deep; ONNX Runtime's work to load a node doubles with each level around it, " +
                            "and its nested nodes add up to %s units of that work (a node d levels deep counts 2^d), more than the %s that Onyx accepts; nest the control flow less deeply",
                    source,
                    contents.subgraphDepth(),
                    contents.nestingWeight(),
                    MAX_NESTING_WEIGHT));
        }
    }

    private static void checkNames(List<ValueSpec> values, String kind, String source)
    {
        Set<String> seen = new HashSet<>();
        for (ValueSpec value : values) {
            if (value.name().isEmpty()) {
                throw new OnyxException(INVALID_MODEL_FILE, format("%s has an %s without a name", source, kind));
            }
            if (!seen.add(value.name())) {
                throw new OnyxException(INVALID_MODEL_FILE, format("%s has two %ss named '%s'", source, kind, ModelNames.printable(value.name())));
            }
            if (value.isTensor() && value.elementType() == ElementType.UNDEFINED) {
                throw new OnyxException(INVALID_MODEL_FILE, format("%s declares %s '%s' without an element type Onyx knows", source, kind, ModelNames.printable(value.name())));
            }
        }
    }

    private static ValueSpec valueSpec(OnnxMl.ValueInfoProto value, String source)
    {
        OnnxMl.TypeProto type = value.getType();
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> new ValueSpec(
                    value.getName(),
                    ValueKind.TENSOR,
                    ElementType.fromOnnxCode(type.getTensorType().getElemType()),
                    Optional.empty(),
                    type.getTensorType().hasShape() ? Optional.of(shape(type.getTensorType().getShape())) : Optional.empty());
            case SEQUENCE_TYPE -> sequenceSpec(value.getName(), type.getSequenceType().getElemType());
            case MAP_TYPE -> new ValueSpec(
                    value.getName(),
                    ValueKind.MAP,
                    valueElementType(type.getMapType().getValueType()),
                    Optional.of(ElementType.fromOnnxCode(type.getMapType().getKeyType())),
                    Optional.empty());
            default -> new ValueSpec(value.getName(), ValueKind.OTHER, ElementType.UNDEFINED, Optional.empty(), Optional.empty());
        };
    }

    private static ValueSpec sequenceSpec(String name, OnnxMl.TypeProto element)
    {
        if (element.hasMapType()) {
            return new ValueSpec(
                    name,
                    ValueKind.SEQUENCE_OF_MAPS,
                    valueElementType(element.getMapType().getValueType()),
                    Optional.of(ElementType.fromOnnxCode(element.getMapType().getKeyType())),
                    Optional.empty());
        }
        if (element.hasTensorType()) {
            return new ValueSpec(name, ValueKind.SEQUENCE_OF_TENSORS, ElementType.fromOnnxCode(element.getTensorType().getElemType()), Optional.empty(), Optional.empty());
        }
        return new ValueSpec(name, ValueKind.OTHER, ElementType.UNDEFINED, Optional.empty(), Optional.empty());
    }

    private static ElementType valueElementType(OnnxMl.TypeProto type)
    {
        return type.hasTensorType() ? ElementType.fromOnnxCode(type.getTensorType().getElemType()) : ElementType.UNDEFINED;
    }

    private static List<Long> shape(OnnxMl.TensorShapeProto shape)
    {
        return shape.getDimList().stream()
                .map(dimension -> dimension.hasDimValue() && dimension.getDimValue() >= 0 ? dimension.getDimValue() : DYNAMIC)
                .collect(toImmutableList());
    }

    /**
     * When the outputs are exactly a label of one int64 or string per row ({@code [N]}) and a float or double
     * probability per class ({@code [N, K]}), in either order and whatever their names: the class count K (0 when
     * the file leaves it symbolic). Default labels {@code 0 .. K-1} are made for at most 100,000 classes, so a declared
     * width costs nothing.
     */
    private static Optional<Long> labelAndProbabilities(List<ValueSpec> outputs)
    {
        if (outputs.size() != 2) {
            return Optional.empty();
        }
        for (int first = 0; first < 2; first++) {
            ValueSpec label = outputs.get(first);
            ValueSpec probabilities = outputs.get(1 - first);
            boolean isLabel = label.isTensor()
                    && (label.elementType() == ElementType.INT64 || label.elementType() == ElementType.STRING)
                    && label.rank().equals(Optional.of(1));
            boolean isProbabilities = probabilities.isTensor()
                    && (probabilities.elementType() == ElementType.FLOAT || probabilities.elementType() == ElementType.DOUBLE)
                    && probabilities.rank().equals(Optional.of(2));
            if (isLabel && isProbabilities) {
                long classes = probabilities.shape().orElseThrow().get(1);
                return Optional.of(classes == ValueSpec.DYNAMIC ? 0 : classes);
            }
        }
        return Optional.empty();
    }

    private static Optional<ModelTask> task(OnnxMl.GraphProto graph)
    {
        boolean regressor = false;
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (CLASSIFIERS.contains(node.getOpType())) {
                return Optional.of(ModelTask.CLASSIFICATION);
            }
            regressor |= REGRESSORS.contains(node.getOpType());
        }
        return regressor ? Optional.of(ModelTask.REGRESSION) : Optional.empty();
    }

    /**
     * Labels from a ZipMap (its keys are the probability columns) or else from the first classifier operator.
     */
    private static List<String> classLabels(OnnxMl.GraphProto graph)
    {
        List<String> fromClassifier = ImmutableList.of();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!CLASSIFIERS.contains(node.getOpType())) {
                continue;
            }
            List<String> labels = labelsOf(node);
            if (node.getOpType().equals("ZipMap") && !labels.isEmpty()) {
                return labels;
            }
            if (fromClassifier.isEmpty()) {
                fromClassifier = labels;
            }
        }
        return fromClassifier;
    }

    private static List<String> labelsOf(OnnxMl.NodeProto node)
    {
        for (OnnxMl.AttributeProto attribute : node.getAttributeList()) {
            if (attribute.getName().equals("classlabels_strings")) {
                return attribute.getStringsList().stream()
                        .map(bytes -> bytes.toStringUtf8())
                        .collect(toImmutableList());
            }
            if (attribute.getName().equals("classlabels_int64s") || attribute.getName().equals("classlabels_ints")) {
                return attribute.getIntsList().stream()
                        .map(String::valueOf)
                        .collect(toImmutableList());
            }
        }
        return ImmutableList.of();
    }
}
