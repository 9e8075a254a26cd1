package io.onyxml.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.common.collect.ImmutableList;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;
import io.onyxml.store.testing.Fuzzing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of valid manifests and alias records (fields deleted or renamed, values of the wrong type, huge numbers,
 * huge arrays, deep nesting, duplicate keys, damaged bytes), for the share of {@code onyx.fuzz.seconds} given below:
 * each decodes to a manifest that encodes and decodes to itself, or fails with an {@link OnyxException}, both in the
 * codec and through a store that finds them in its files.
 */
class TestFuzzedManifests
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEEP = "\u0000deep\u0000";
    private static final String ALIAS = "prod";

    @TempDir
    Path temporary;

    @Test
    void mutantsDecodeOrAreRefusedWithOnyxErrors()
    {
        List<ModelManifest> manifests = manifests();
        List<byte[]> originals = new ArrayList<>();
        manifests.forEach(manifest -> originals.add(ManifestCodec.toJson(manifest)));
        byte[] alias = ManifestCodec.aliasToJson(AliasRecord.first(ALIAS, 1, Instant.parse("2026-12-01T10:00:00Z")).movedTo(2, Instant.parse("2026-12-02T10:00:00Z")));
        Fuzzing.Summary summary = Fuzzing.run("manifests", 0.15, random -> {
            int original = random.nextInt(originals.size() + 1);
            boolean isAlias = original == originals.size();
            JsonMutant mutant = mutate(isAlias ? alias : originals.get(original), random);
            String outcome;
            try {
                outcome = isAlias ? decodeAlias(mutant.bytes()) : decode(mutant.bytes());
                if (random.nextInt(8) == 0) {
                    ModelManifest base = manifests.get(isAlias ? 0 : original);
                    throughStore(base, isAlias ? ManifestCodec.toJson(base) : mutant.bytes(), isAlias ? mutant.bytes() : alias, random.nextLong() >>> 1);
                }
            }
            catch (RuntimeException | Error e) {
                throw new AssertionError("mutant of " + (isAlias ? "an alias record" : manifests.get(original).reference()) + ": " + mutant, e);
            }
            return outcome;
        });
        assertThat(summary.iterations()).isPositive();
    }

    private static String decode(byte[] json)
    {
        ModelManifest manifest;
        try {
            manifest = ManifestCodec.fromJson(json, "model 'fuzzed' version 1");
        }
        catch (OnyxException e) {
            return e.errorCode().name();
        }
        assertThat(ManifestCodec.fromJson(ManifestCodec.toJson(manifest), "the manifest written again")).isEqualTo(manifest);
        return "decoded";
    }

    private static String decodeAlias(byte[] json)
    {
        try {
            AliasRecord record = ManifestCodec.aliasFromJson(json, ALIAS, "alias 'prod' of model 'fuzzed'");
            assertThat(ManifestCodec.aliasFromJson(ManifestCodec.aliasToJson(record), ALIAS, "the alias written again")).isEqualTo(record);
            return "alias decoded";
        }
        catch (OnyxException e) {
            return "alias " + e.errorCode().name();
        }
    }

    /**
     * A store whose files hold the mutant as the manifest of the base's version, next to an alias record: reading
     * and listing it answers or fails with an {@link OnyxException}.
     */
    private void throughStore(ModelManifest base, byte[] manifest, byte[] alias, long id)
    {
        Path directory = temporary.resolve("store" + id);
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(directory).withChangeDelay(Duration.ZERO));
                BlobStore blobs = BlobStores.open(store.location(), S3Options.DEFAULTS)) {
            String name = base.name();
            blobs.write(StoreLayout.manifestKey(name, base.version()), manifest);
            blobs.write(StoreLayout.aliasKey(name, ALIAS), alias);
            List<Supplier<?>> reads = ImmutableList.of(
                    () -> store.manifest(name, base.version()),
                    () -> store.resolve(name),
                    () -> store.resolve(name + "@" + ALIAS),
                    () -> store.listModels(Optional.of(Set.of(name))),
                    () -> store.listModelVersions(Optional.of(Set.of(name))),
                    () -> store.listVersions(name),
                    () -> store.aliases(name));
            for (Supplier<?> read : reads) {
                try {
                    read.get();
                }
                catch (OnyxException e) {
                    // refused
                }
            }
        }
        try {
            deleteRecursively(directory, ALLOW_INSECURE);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record JsonMutant(byte[] bytes, List<String> steps)
    {
        @Override
        public String toString()
        {
            String text = new String(bytes, UTF_8);
            return String.join("; ", steps) + ": " + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
        }
    }

    private static JsonMutant mutate(byte[] json, Random random)
    {
        List<String> steps = new ArrayList<>();
        JsonNode root = read(json);
        int count = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        String text = null;
        for (int i = 0; i < count && text == null; i++) {
            List<Slot> slots = new ArrayList<>();
            collect(root, "$", slots);
            Slot slot = slots.get(random.nextInt(slots.size()));
            switch (random.nextInt(7)) {
                case 0 -> {
                    slot.remove();
                    steps.add("delete " + slot.path());
                }
                case 1, 2 -> {
                    JsonNode value = extreme(random);
                    slot.set(value);
                    steps.add("set " + slot.path() + " to " + abbreviate(value));
                }
                case 3 -> {
                    ArrayNode huge = JsonNodeFactory.instance.arrayNode();
                    // of a short value, a megabyte or two in all; never of an array or object, which one node shared by
                    // every element would let a later step grow a hundred thousand times
                    JsonNode element = random.nextBoolean() ? extreme(random) : slot.get();
                    if (!element.isValueNode() || element.toString().length() > 16) {
                        element = random.nextBoolean() ? IntNode.valueOf(-1) : TextNode.valueOf("x");
                    }
                    int length = 1 + random.nextInt(random.nextBoolean() ? 100 : 100_000);
                    for (int k = 0; k < length; k++) {
                        huge.add(element);
                    }
                    slot.set(huge);
                    steps.add("set " + slot.path() + " to an array of " + length + " copies of " + abbreviate(element));
                }
                case 4 -> {
                    if (slot.parent() instanceof ObjectNode object) {
                        String renamed = slot.key().isEmpty() ? "x" : slot.key().toUpperCase(Locale.ROOT) + (random.nextBoolean() ? "" : "_");
                        object.set(renamed, object.remove(slot.key()));
                        steps.add("rename " + slot.path() + " to " + renamed);
                    }
                }
                case 5 -> {
                    slot.set(TextNode.valueOf(DEEP));
                    int depth = new int[] {2, 100, 999, 1000, 1001, 5000, 200_000}[random.nextInt(7)];
                    boolean arrays = random.nextBoolean();
                    String open = arrays ? "[" : "{\"a\":";
                    String close = arrays ? "]" : "}";
                    text = write(root).replace("\"" + DEEP.replace("\u0000", "\\u0000") + "\"", open.repeat(depth) + "1" + close.repeat(depth));
                    steps.add("nest " + slot.path() + " " + depth + " deep in " + (arrays ? "arrays" : "objects"));
                }
                default -> {
                    if (slot.parent() instanceof ObjectNode object && slot.get().isValueNode()) {
                        // a key given twice: the text has both, Jackson keeps the last
                        String written = write(root);
                        String field = "\"" + slot.key() + "\" : ";
                        int at = written.indexOf(field);
                        if (at >= 0) {
                            text = written.substring(0, at) + field + write(extreme(random)) + ", " + written.substring(at);
                            steps.add("give " + slot.path() + " twice");
                        }
                    }
                }
            }
        }
        byte[] bytes = (text == null ? write(root) : text).getBytes(UTF_8);
        if (random.nextInt(4) == 0) {
            bytes = damage(bytes, random, steps);
        }
        return new JsonMutant(bytes, ImmutableList.copyOf(steps));
    }

    private static byte[] damage(byte[] bytes, Random random, List<String> steps)
    {
        if (bytes.length == 0) {
            return bytes;
        }
        int position = random.nextInt(bytes.length);
        byte[] damaged;
        switch (random.nextInt(3)) {
            case 0 -> {
                damaged = Arrays.copyOf(bytes, position);
                steps.add("truncate to " + position + " bytes");
            }
            case 1 -> {
                damaged = bytes.clone();
                damaged[position] ^= (byte) (1 << random.nextInt(8));
                steps.add("flip a bit of byte " + position);
            }
            default -> {
                damaged = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, damaged, 0, position);
                damaged[position] = (byte) random.nextInt(256);
                System.arraycopy(bytes, position, damaged, position + 1, bytes.length - position);
                steps.add("insert byte " + damaged[position] + " at " + position);
            }
        }
        return damaged;
    }

    private static JsonNode extreme(Random random)
    {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        List<JsonNode> values = List.of(
                TextNode.valueOf(""),
                TextNode.valueOf("x".repeat(100_000)),
                TextNode.valueOf("2026-13-45T25:61:00Z"),
                TextNode.valueOf("NaN"),
                TextNode.valueOf("-Infinity"),
                TextNode.valueOf("\u0000\n"),
                TextNode.valueOf("float"),
                TextNode.valueOf("sequence_of_maps"),
                TextNode.valueOf("a".repeat(64)),
                IntNode.valueOf(0),
                IntNode.valueOf(-1),
                IntNode.valueOf(Integer.MIN_VALUE),
                LongNode.valueOf(1L << 31),
                LongNode.valueOf(Long.MAX_VALUE),
                LongNode.valueOf(Long.MIN_VALUE),
                BigIntegerNode.valueOf(BigInteger.TEN.pow(40)),
                DoubleNode.valueOf(1e308),
                DoubleNode.valueOf(-0.5),
                BooleanNode.TRUE,
                NullNode.getInstance(),
                nodes.arrayNode(),
                nodes.arrayNode().add(-2).add(Long.MAX_VALUE),
                nodes.objectNode(),
                nodes.objectNode().put("", 1));
        return values.get(random.nextInt(values.size()));
    }

    /**
     * A place in the tree: a field of an object or an element of an array.
     */
    private record Slot(JsonNode parent, String key, int index, String path)
    {
        JsonNode get()
        {
            return parent instanceof ObjectNode object ? object.get(key) : parent.get(index);
        }

        void set(JsonNode value)
        {
            if (parent instanceof ObjectNode object) {
                object.set(key, value);
            }
            else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove()
        {
            if (parent instanceof ObjectNode object) {
                object.remove(key);
            }
            else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, String path, List<Slot> slots)
    {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : ImmutableList.copyOf(object.properties())) {
                slots.add(new Slot(object, field.getKey(), -1, path + "." + field.getKey()));
                collect(field.getValue(), path + "." + field.getKey(), slots);
            }
        }
        else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size() && i < 100; i++) {
                slots.add(new Slot(array, "", i, path + "[" + i + "]"));
                collect(array.get(i), path + "[" + i + "]", slots);
            }
        }
    }

    private static String abbreviate(JsonNode value)
    {
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 60) + "... (" + text.length() + " characters)" : text;
    }

    private static JsonNode read(byte[] json)
    {
        try {
            return MAPPER.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(JsonNode node)
    {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The manifests the test models get when registered, with every optional field set on one of them.
     */
    private List<ModelManifest> manifests()
    {
        try (ModelStore store = ModelStore.open(ModelStoreConfig.local(temporary.resolve("models")))) {
            ImmutableList.Builder<ModelManifest> manifests = ImmutableList.builder();
            RegisterOptions everything = RegisterOptions.builder()
                    .description("every field")
                    .handlesMissingValues(true)
                    .training(Map.of("algorithm", "sgd", "rows", "1000"))
                    .metric("r2", 0.5)
                    .metric("nan", Double.NaN)
                    .build()
                    .withRegisteredBy("alice");
            TestFuzzedModelFiles.MODELS.forEach((name, model) -> manifests.add(store.register(name, ModelSource.of(model), name.equals("linear") ? everything : RegisterOptions.DEFAULTS)));
            return manifests.build();
        }
    }
}
