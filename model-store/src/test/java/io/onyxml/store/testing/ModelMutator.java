package io.onyxml.store.testing;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static java.lang.String.format;

/**
 * Random changes to a valid ONNX file, as a fuzz test makes them: of its bytes (bits flipped, bytes deleted,
 * inserted, duplicated, overwritten, the file truncated), of its protobuf wire format (a varint such as a dimension set
 * to an extreme value with the lengths around it corrected, or a length prefix that misreports its field), and of the
 * parsed model (any field set to an extreme value or to a name used elsewhere in the model, a repeated element removed
 * or duplicated, a message cleared). The same {@link Random} gives the same mutant.
 */
public final class ModelMutator
{
    private static final long[] EXTREMES = {
            0, 1, -1, 2, 3, 4, 7, 8, 13, 22, 127, 128, 255, 256, 1023, 1024, 1025, 16_385, 65_535, 65_536,
            Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, (1L << 32) + 1, 1L << 40, 1L << 53, 1L << 62,
            Long.MAX_VALUE, Long.MIN_VALUE, -2, -1024};
    private static final byte[] EXTREME_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x0a, 0x12, 0x3a};
    private static final int MAX_CHUNK = 64;
    // sites: a whole field, to clear or resize, and a field that is not repeated, to set
    private static final int WHOLE = -2;
    private static final int SINGLE = -1;

    private final Random random;

    public ModelMutator(Random random)
    {
        this.random = random;
    }

    /**
     * @param bytes the mutated file
     * @param steps what was changed, in order, for failure messages
     */
    public record Mutant(byte[] bytes, List<String> steps)
    {
        @Override
        public String toString()
        {
            return String.join("; ", steps) + " (" + bytes.length + " bytes)";
        }
    }

    /**
     * One to three changes of a valid ONNX file.
     */
    public Mutant mutate(byte[] model)
    {
        List<String> steps = new ArrayList<>();
        byte[] bytes = model;
        int count = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind < 4) {
                bytes = structural(bytes, steps);
            }
            else if (kind < 6) {
                bytes = varint(bytes, steps);
            }
            else {
                bytes = bytewise(bytes, steps);
            }
        }
        return new Mutant(bytes, ImmutableList.copyOf(steps));
    }

    private byte[] bytewise(byte[] bytes, List<String> steps)
    {
        if (bytes.length == 0) {
            steps.add("insert into empty");
            return randomBytes(1 + random.nextInt(MAX_CHUNK));
        }
        int position = random.nextInt(bytes.length);
        int length = 1 + random.nextInt(Math.min(MAX_CHUNK, bytes.length - position));
        switch (random.nextInt(6)) {
            case 0 -> {
                byte[] flipped = bytes.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = random.nextInt(flipped.length);
                    int bit = random.nextInt(8);
                    flipped[at] ^= (byte) (1 << bit);
                    steps.add("flip bit " + bit + " of byte " + at);
                }
                return flipped;
            }
            case 1 -> {
                steps.add("delete " + length + " bytes at " + position);
                return splice(bytes, position, length, new byte[0]);
            }
            case 2 -> {
                byte[] inserted = random.nextBoolean() ? randomBytes(length) : repeat(EXTREME_BYTES[random.nextInt(EXTREME_BYTES.length)], length);
                steps.add("insert " + length + " bytes at " + position);
                return splice(bytes, position, 0, inserted);
            }
            case 3 -> {
                int target = random.nextInt(bytes.length + 1);
                steps.add("copy " + length + " bytes from " + position + " to " + target);
                return splice(bytes, target, 0, Arrays.copyOfRange(bytes, position, position + length));
            }
            case 4 -> {
                steps.add("truncate to " + position + " bytes");
                return Arrays.copyOf(bytes, position);
            }
            default -> {
                byte[] overwritten = bytes.clone();
                byte value = EXTREME_BYTES[random.nextInt(EXTREME_BYTES.length)];
                Arrays.fill(overwritten, position, position + length, value);
                steps.add("overwrite " + length + " bytes at " + position + " with " + value);
                return overwritten;
            }
        }
    }

    /**
     * A varint of the wire format set to an extreme value. A value (a dimension, a type code, an attribute) is replaced
     * and the length prefixes of the messages around it are corrected, so the file stays valid protobuf; a length
     * prefix is replaced as it is, so it misreports its field.
     */
    private byte[] varint(byte[] bytes, List<String> steps)
    {
        List<Varint> varints = new ArrayList<>();
        scan(bytes, 0, bytes.length, null, 0, varints);
        if (varints.isEmpty()) {
            return bytewise(bytes, steps);
        }
        Varint target = varints.get(random.nextInt(varints.size()));
        long value = random.nextInt(4) == 0 ? target.value() + (random.nextBoolean() ? 1 : -1) : EXTREMES[random.nextInt(EXTREMES.length)];
        steps.add(format("set the %s %s at %s to %s", target.lengthPrefix() ? "length" : "varint", target.value(), target.start(), value));
        byte[] mutated = splice(bytes, target.start(), target.end() - target.start(), encode(value));
        if (target.lengthPrefix()) {
            return mutated;
        }
        int delta = encode(value).length - (target.end() - target.start());
        // the enclosing prefixes come before the value, so correcting them from the innermost out moves nothing still
        // to be corrected
        for (Varint parent = target.parent(); parent != null && delta != 0; parent = parent.parent()) {
            byte[] corrected = encode(parent.value() + delta);
            mutated = splice(mutated, parent.start(), parent.end() - parent.start(), corrected);
            delta += corrected.length - (parent.end() - parent.start());
        }
        return mutated;
    }

    private record Varint(int start, int end, long value, boolean lengthPrefix, Varint parent) {}

    /**
     * Collects the varints of the wire format between start and end, looking into a length-delimited field when its
     * bytes read as a message; false when they do not.
     */
    private static boolean scan(byte[] bytes, int start, int end, Varint parent, int depth, List<Varint> varints)
    {
        List<Varint> found = new ArrayList<>();
        int position = start;
        while (position < end) {
            long[] tag = readVarint(bytes, position, end);
            if (tag == null || (tag[0] >>> 3) == 0) {
                return false;
            }
            position = (int) tag[1];
            switch ((int) (tag[0] & 7)) {
                case 0 -> {
                    long[] value = readVarint(bytes, position, end);
                    if (value == null) {
                        return false;
                    }
                    found.add(new Varint(position, (int) value[1], value[0], false, parent));
                    position = (int) value[1];
                }
                case 1 -> position += 8;
                case 5 -> position += 4;
                case 2 -> {
                    long[] length = readVarint(bytes, position, end);
                    if (length == null || length[0] < 0 || length[0] > end - length[1]) {
                        return false;
                    }
                    Varint prefix = new Varint(position, (int) length[1], length[0], true, parent);
                    found.add(prefix);
                    int payload = (int) length[1];
                    position = payload + (int) length[0];
                    List<Varint> inner = new ArrayList<>();
                    if (depth < 100 && length[0] > 0 && scan(bytes, payload, position, prefix, depth + 1, inner)) {
                        found.addAll(inner);
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        if (position != end) {
            return false;
        }
        varints.addAll(found);
        return true;
    }

    /**
     * The value and the position after it, or null when the bytes end first.
     */
    private static long[] readVarint(byte[] bytes, int position, int end)
    {
        long value = 0;
        for (int shift = 0; shift < 64 && position < end; shift += 7) {
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return new long[] {value, position};
            }
        }
        return null;
    }

    private static byte[] encode(long value)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
        return out.toByteArray();
    }

    /**
     * A field of the parsed model changed through protobuf's reflection, so the file stays valid protobuf.
     */
    private byte[] structural(byte[] bytes, List<String> steps)
    {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e) {
            return bytewise(bytes, steps);
        }
        OnnxMl.ModelProto.Builder root = model.toBuilder();
        List<Site> sites = new ArrayList<>();
        List<Message.Builder> builders = new ArrayList<>();
        List<String> names = new ArrayList<>();
        collect(root, "model", sites, builders, names, 0);
        if (random.nextInt(5) == 0 || sites.isEmpty()) {
            // a field that may not be set yet
            Message.Builder builder = builders.get(random.nextInt(builders.size()));
            List<FieldDescriptor> fields = builder.getDescriptorForType().getFields();
            FieldDescriptor field = fields.get(random.nextInt(fields.size()));
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                Message.Builder added = builder.newBuilderForField(field);
                if (field.isRepeated()) {
                    builder.addRepeatedField(field, added.build());
                }
                else {
                    builder.setField(field, added.build());
                }
                steps.add("add an empty " + builder.getDescriptorForType().getName() + "." + field.getName());
            }
            else {
                Object value = extreme(field, names);
                if (field.isRepeated()) {
                    builder.addRepeatedField(field, value);
                }
                else {
                    builder.setField(field, value);
                }
                steps.add("set " + builder.getDescriptorForType().getName() + "." + field.getName() + " to " + describe(value));
            }
            return root.build().toByteArray();
        }
        Site site = sites.get(random.nextInt(sites.size()));
        FieldDescriptor field = site.field();
        Message.Builder builder = site.builder();
        if (site.index() == WHOLE) {
            // a whole field: cleared, or a repeated one shortened or lengthened
            int count = field.isRepeated() ? builder.getRepeatedFieldCount(field) : 1;
            int choice = random.nextInt(3);
            if (choice == 0 || !field.isRepeated() || count == 0) {
                builder.clearField(field);
                steps.add("clear " + site.path());
            }
            else if (choice == 1) {
                int removed = random.nextInt(count);
                List<Object> values = new ArrayList<>((List<?>) builder.getField(field));
                values.remove(removed);
                builder.setField(field, values);
                steps.add("remove element " + removed + " of " + site.path());
            }
            else {
                Object copied = builder.getRepeatedField(field, random.nextInt(count));
                int copies = random.nextInt(16) == 0 ? 1000 : 1;
                for (int i = 0; i < copies; i++) {
                    builder.addRepeatedField(field, copied);
                }
                steps.add("append " + copies + " copies of an element of " + site.path());
            }
            return root.build().toByteArray();
        }
        Object value = extreme(field, names);
        if (field.isRepeated()) {
            builder.setRepeatedField(field, site.index(), value);
        }
        else {
            builder.setField(field, value);
        }
        steps.add("set " + site.path() + " to " + describe(value));
        return root.build().toByteArray();
    }

    /**
     * A field or one element of a repeated field to set, or a whole field to clear or resize.
     */
    private record Site(Message.Builder builder, FieldDescriptor field, int index, String path) {}

    private static void collect(Message.Builder builder, String path, List<Site> sites, List<Message.Builder> builders, List<String> names, int depth)
    {
        builders.add(builder);
        if (depth > 60) {
            return;
        }
        for (FieldDescriptor field : builder.getAllFields().keySet()) {
            String fieldPath = path + "." + field.getName();
            sites.add(new Site(builder, field, WHOLE, fieldPath));
            boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (field.isRepeated()) {
                int count = builder.getRepeatedFieldCount(field);
                for (int i = 0; i < count; i++) {
                    if (message) {
                        collect(builder.getRepeatedFieldBuilder(field, i), fieldPath + "[" + i + "]", sites, builders, names, depth + 1);
                    }
                    else {
                        sites.add(new Site(builder, field, i, fieldPath + "[" + i + "]"));
                        addName(builder.getRepeatedField(field, i), names);
                    }
                }
            }
            else if (message) {
                collect(builder.getFieldBuilder(field), fieldPath, sites, builders, names, depth + 1);
            }
            else {
                sites.add(new Site(builder, field, SINGLE, fieldPath));
                addName(builder.getField(field), names);
            }
        }
    }

    private static void addName(Object value, List<String> names)
    {
        if (value instanceof String name && names.size() < 1000) {
            names.add(name);
        }
    }

    private Object extreme(FieldDescriptor field, List<String> names)
    {
        long number = EXTREMES[random.nextInt(EXTREMES.length)];
        return switch (field.getJavaType()) {
            case INT -> (int) number;
            case LONG -> number;
            case FLOAT -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MAX_VALUE, 1e-45f, (float) number}[random.nextInt(6)];
            case DOUBLE -> new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, (double) number}[random.nextInt(4)];
            case BOOLEAN -> random.nextBoolean();
            case STRING -> switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> "x".repeat(1 + random.nextInt(100_000));
                case 2 -> "\u0000\n\u2028é" + random.nextInt(10);
                default -> names.isEmpty() ? "y" : names.get(random.nextInt(names.size()));
            };
            case BYTE_STRING -> ByteString.copyFrom(randomBytes(random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(MAX_CHUNK)));
            case ENUM -> {
                List<EnumValueDescriptor> values = field.getEnumType().getValues();
                yield values.get(random.nextInt(values.size()));
            }
            case MESSAGE -> throw new IllegalArgumentException("no extreme message");
        };
    }

    private static String describe(Object value)
    {
        if (value instanceof String text) {
            return text.length() > 40 ? "a string of " + text.length() + " characters" : "'" + text.replace("\u0000", "\\0").replace("\n", "\\n") + "'";
        }
        if (value instanceof ByteString bytes) {
            return bytes.size() + " random bytes";
        }
        return String.valueOf(value);
    }

    private byte[] randomBytes(int length)
    {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] repeat(byte value, int length)
    {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int position, int removed, byte[] inserted)
    {
        byte[] result = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, result, 0, position);
        System.arraycopy(inserted, 0, result, position, inserted.length);
        System.arraycopy(bytes, position + removed, result, position + inserted.length, bytes.length - position - removed);
        return result;
    }
}
