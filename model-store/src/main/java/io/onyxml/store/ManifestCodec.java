package io.onyxml.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.onyxml.store.OnyxErrorCode.MANIFEST_CORRUPT;
import static java.lang.String.format;

/**
 * Reads and writes the JSON form of manifests and alias records. Field names are snake_case; the layout is
 * described in the module README and versioned by {@code format_version}.
 */
public final class ManifestCodec
{
    public static final int FORMAT_VERSION = 1;

    // a manifest repeats names and strings of the ONNX file (an operator set's domain is a field name), which may be
    // longer than Jackson reads by default (field names of 50,000 characters, strings of 20,000,000): every manifest
    // Onyx writes must read back
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestCodec() {}

    public static byte[] toJson(ModelManifest manifest)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("name", manifest.name());
        root.put("version", manifest.version());
        root.put("created_at", manifest.createdAt().toString());
        manifest.registeredBy().ifPresent(user -> root.put("registered_by", user));
        root.put("model_file", manifest.modelFile());
        root.put("sha256", manifest.sha256());
        root.put("size_bytes", manifest.sizeBytes());

        ObjectNode onnx = root.putObject("onnx");
        onnx.put("ir_version", manifest.onnx().irVersion());
        ObjectNode opsets = onnx.putObject("opsets");
        manifest.onnx().opsets().forEach(opsets::put);
        onnx.put("producer_name", manifest.onnx().producerName());
        onnx.put("producer_version", manifest.onnx().producerVersion());

        ObjectNode signature = root.putObject("signature");
        writeValues(signature.putArray("inputs"), manifest.signature().inputs());
        writeValues(signature.putArray("outputs"), manifest.signature().outputs());

        root.put("task", manifest.task().displayName());
        ArrayNode labels = root.putArray("class_labels");
        manifest.classLabels().forEach(labels::add);
        ArrayNode features = root.putArray("feature_names");
        manifest.featureNames().forEach(features::add);
        manifest.description().ifPresent(description -> root.put("description", description));
        root.put("handles_missing_values", manifest.handlesMissingValues());
        ObjectNode training = root.putObject("training");
        manifest.training().forEach(training::put);
        ObjectNode metrics = root.putObject("metrics");
        manifest.metrics().forEach(metrics::put);
        return write(root);
    }

    /**
     * @param source names the manifest in error messages, e.g. {@code model 'churn' version 3 (s3://bucket/...)}
     */
    public static ModelManifest fromJson(byte[] json, String source)
    {
        JsonNode root = parse(json, source);
        try {
            int formatVersion = required(root, "format_version", source).asInt();
            if (formatVersion > FORMAT_VERSION) {
                throw corrupt(source, format("it has format version %s; this Onyx reads up to version %s, upgrade Onyx", formatVersion, FORMAT_VERSION));
            }
            JsonNode onnx = required(root, "onnx", source);
            JsonNode signature = required(root, "signature", source);
            String task = text(root, "task", source);
            return new ModelManifest(
                    text(root, "name", source),
                    required(root, "version", source).asInt(),
                    Instant.parse(text(root, "created_at", source)),
                    text(root, "model_file", source),
                    text(root, "sha256", source),
                    required(root, "size_bytes", source).asLong(),
                    new OnnxInfo(
                            required(onnx, "ir_version", source).asLong(),
                            map(required(onnx, "opsets", source), JsonNode::asLong),
                            onnx.path("producer_name").asText(""),
                            onnx.path("producer_version").asText("")),
                    new ModelSignature(
                            readValues(required(signature, "inputs", source), source),
                            readValues(required(signature, "outputs", source), source)),
                    ModelTask.fromDisplayName(task).orElseThrow(() -> corrupt(source, "unknown task '" + task + "'")),
                    strings(root.path("class_labels")),
                    strings(root.path("feature_names")),
                    Optional.ofNullable(root.get("description")).map(JsonNode::asText),
                    root.path("handles_missing_values").asBoolean(false),
                    map(root.path("training"), JsonNode::asText),
                    map(root.path("metrics"), JsonNode::asDouble),
                    // written since Onyx 0.1.0's first stores, which lack it (still format 1: readers ignore fields they do not know)
                    Optional.ofNullable(root.get("registered_by")).map(JsonNode::asText));
        }
        catch (DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            throw corrupt(source, e.getMessage());
        }
        catch (OnyxException e) {
            if (e.errorCode() == MANIFEST_CORRUPT) {
                throw e;
            }
            throw corrupt(source, e.getMessage());
        }
    }

    static byte[] aliasToJson(AliasRecord record)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("alias", record.alias());
        root.put("version", record.current().version());
        root.put("updated_at", record.current().since().toString());
        ArrayNode previous = root.putArray("previous");
        for (AliasRecord.Entry entry : record.entries().subList(1, record.entries().size())) {
            ObjectNode node = previous.addObject();
            node.put("version", entry.version());
            node.put("updated_at", entry.since().toString());
        }
        return write(root);
    }

    /**
     * Reads an alias record; records written before aliases kept their history have no {@code previous} entries.
     */
    static AliasRecord aliasFromJson(byte[] json, String alias, String source)
    {
        JsonNode root = parse(json, source);
        ImmutableList.Builder<AliasRecord.Entry> entries = ImmutableList.builder();
        entries.add(aliasEntry(root, source));
        for (JsonNode previous : root.path("previous")) {
            entries.add(aliasEntry(previous, source));
        }
        return new AliasRecord(alias, entries.build());
    }

    private static AliasRecord.Entry aliasEntry(JsonNode node, String source)
    {
        JsonNode version = required(node, "version", source);
        // version 0 marks the alias as dropped from updated_at on
        if (!version.canConvertToInt() || version.asInt() < AliasRecord.DROPPED) {
            throw corrupt(source, "'version' is not a version number: " + version);
        }
        try {
            return new AliasRecord.Entry(version.asInt(), Instant.parse(text(node, "updated_at", source)));
        }
        catch (DateTimeParseException e) {
            throw corrupt(source, "'updated_at' is not a time: " + e.getParsedString());
        }
    }

    private static void writeValues(ArrayNode array, List<ValueSpec> values)
    {
        for (ValueSpec value : values) {
            ObjectNode node = array.addObject();
            node.put("name", value.name());
            node.put("kind", value.kind().name().toLowerCase(Locale.ROOT));
            node.put("element_type", value.elementType().displayName());
            value.keyType().ifPresent(keyType -> node.put("key_type", keyType.displayName()));
            value.shape().ifPresent(shape -> {
                ArrayNode dimensions = node.putArray("shape");
                shape.forEach(dimensions::add);
            });
        }
    }

    private static List<ValueSpec> readValues(JsonNode array, String source)
    {
        if (!array.isArray()) {
            throw corrupt(source, "signature inputs and outputs must be arrays");
        }
        ImmutableList.Builder<ValueSpec> values = ImmutableList.builder();
        for (JsonNode node : array) {
            String kind = text(node, "kind", source);
            Optional<List<Long>> shape = Optional.ofNullable(node.get("shape"))
                    .map(dimensions -> ImmutableList.copyOf(iterable(dimensions, JsonNode::asLong)));
            values.add(new ValueSpec(
                    text(node, "name", source),
                    ValueKind.valueOf(kind.toUpperCase(Locale.ROOT)),
                    elementType(text(node, "element_type", source), source),
                    Optional.ofNullable(node.get("key_type")).map(keyType -> elementType(keyType.asText(), source)),
                    shape));
        }
        return values.build();
    }

    private static ElementType elementType(String name, String source)
    {
        return ElementType.fromDisplayName(name).orElseThrow(() -> corrupt(source, "unknown element type '" + name + "'"));
    }

    private static JsonNode parse(byte[] json, String source)
    {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw corrupt(source, "it is not a JSON object");
            }
            return root;
        }
        catch (JsonProcessingException e) {
            throw corrupt(source, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        catch (IOException e) {
            throw corrupt(source, "it could not be read (" + e.getMessage() + ")");
        }
    }

    private static byte[] write(JsonNode node)
    {
        try {
            return MAPPER.writeValueAsBytes(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode required(JsonNode node, String field, String source)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw corrupt(source, format("field '%s' is missing", field));
        }
        return value;
    }

    private static String text(JsonNode node, String field, String source)
    {
        JsonNode value = required(node, field, source);
        if (!value.isTextual()) {
            throw corrupt(source, format("field '%s' is not a string", field));
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array)
    {
        return ImmutableList.copyOf(iterable(array, JsonNode::asText));
    }

    private static <T> Map<String, T> map(JsonNode object, Function<JsonNode, T> reader)
    {
        ImmutableMap.Builder<String, T> map = ImmutableMap.builder();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            map.put(field.getKey(), reader.apply(field.getValue()));
        }
        return map.buildOrThrow();
    }

    private static <T> List<T> iterable(JsonNode array, Function<JsonNode, T> reader)
    {
        ImmutableList.Builder<T> values = ImmutableList.builder();
        array.forEach(element -> values.add(reader.apply(element)));
        return values.build();
    }

    private static OnyxException corrupt(String source, String why)
    {
        return new OnyxException(MANIFEST_CORRUPT, format("The manifest of %s is malformed: %s", source, why));
    }
}
