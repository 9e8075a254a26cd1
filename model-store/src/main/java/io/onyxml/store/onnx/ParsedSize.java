package io.onyxml.store.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

import java.io.IOException;

/**
 * The heap that protobuf's Java parser takes for a message, estimated from its wire format without building it, and
 * a check that every length prefix fits in the message around it.
 * <p>
 * A file can be small for what it makes the parser build: two bytes make an empty message (about 56 bytes on the
 * heap), one byte of a packed int64 field a long (8 bytes), so that 64 MiB of one repeated empty entry take over a
 * gigabyte. Bytes fields count as references, since the parse refers to the file's bytes instead of copying them.
 * <p>
 * Protobuf's decoder of direct buffers (3.25.6 and 4.33.5 alike) does not notice when a length near 2<sup>31</sup>
 * added to its position overflows an int: it then takes bytes past the end of the buffer for the field's content, and
 * reading them from a mapped file crashed the JVM (found by {@code TestFuzzedModelScoring}: the length of a packed
 * field set to 2147483647). So the parser may only see files this scan found sound.
 */
final class ParsedSize
{
    // an empty generated message and the reference to it (measured: 4 million empty entries take 243 MB)
    private static final long MESSAGE = 56;
    // a string or bytes value: its ByteString, a String made from it when it is read, and the reference
    private static final long VALUE = 48;
    // a field the schema does not know, kept in the message's unknown field set
    private static final long UNKNOWN = 48;
    private static final int MAX_DEPTH = 100;

    private ParsedSize() {}

    /**
     * @param size the number of bytes the input holds
     * @throws InvalidProtocolBufferException when the bytes are not the wire format of a message of this type
     */
    static long estimate(CodedInputStream input, long size, Descriptor root)
            throws IOException
    {
        // the enclosing messages' types and limits, in arrays: boxing a limit per message would allocate what this
        // estimate guards against
        Descriptor[] types = new Descriptor[MAX_DEPTH];
        int[] limits = new int[MAX_DEPTH];
        int depth = 0;
        Descriptor type = root;
        long bytes = MESSAGE;
        while (true) {
            if (input.isAtEnd()) {
                if (depth == 0) {
                    return bytes;
                }
                depth--;
                input.popLimit(limits[depth]);
                type = types[depth];
                continue;
            }
            int tag = input.readTag();
            FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            int wireType = WireFormat.getTagWireType(tag);
            if (field == null) {
                bytes += UNKNOWN + (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? 0 : Long.BYTES);
                skipField(input, tag);
                continue;
            }
            switch (wireType) {
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int length = input.readRawVarint32();
                    if (length < 0 || length > remaining(input, size)) {
                        throw new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly in the middle of a field.  " +
                                "This could mean either that the input has been truncated or that an embedded message misreported its own length.");
                    }
                    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        bytes += MESSAGE;
                        if (depth < MAX_DEPTH) {
                            limits[depth] = input.pushLimit(length);
                            types[depth] = type;
                            depth++;
                            type = field.getMessageType();
                        }
                        else {
                            // deeper than the parser reads: it refuses the file
                            input.skipRawBytes(length);
                        }
                    }
                    else if (field.isRepeated() && field.getJavaType() != FieldDescriptor.JavaType.STRING && field.getJavaType() != FieldDescriptor.JavaType.BYTE_STRING) {
                        bytes += packedValues(input, field, length);
                    }
                    else {
                        bytes += VALUE;
                        input.skipRawBytes(length);
                    }
                }
                case WireFormat.WIRETYPE_VARINT -> {
                    input.readRawVarint64();
                    bytes += field.isRepeated() ? Long.BYTES : 0;
                }
                case WireFormat.WIRETYPE_FIXED32 -> {
                    input.readRawLittleEndian32();
                    bytes += field.isRepeated() ? Integer.BYTES : 0;
                }
                case WireFormat.WIRETYPE_FIXED64 -> {
                    input.readRawLittleEndian64();
                    bytes += field.isRepeated() ? Long.BYTES : 0;
                }
                default -> skipField(input, tag);
            }
        }
    }

    /**
     * Skips a field; an end-group tag without its group ends the parse with an error.
     */
    private static void skipField(CodedInputStream input, int tag)
            throws IOException
    {
        if (!input.skipField(tag)) {
            throw new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
        }
    }

    /**
     * The bytes left in the message being read.
     */
    private static long remaining(CodedInputStream input, long size)
    {
        int untilLimit = input.getBytesUntilLimit();
        return untilLimit < 0 ? size - input.getTotalBytesRead() : untilLimit;
    }

    /**
     * The heap of the values of a packed repeated field: each varint becomes an int or a long, each fixed-size value a
     * value of its size.
     */
    private static long packedValues(CodedInputStream input, FieldDescriptor field, int length)
            throws IOException
    {
        long valueBytes = switch (field.getJavaType()) {
            case INT, FLOAT, ENUM -> Integer.BYTES;
            case BOOLEAN -> 1;
            default -> Long.BYTES;
        };
        return switch (field.getType()) {
            case FIXED32, SFIXED32, FLOAT -> {
                input.skipRawBytes(length);
                yield length / 4 * valueBytes;
            }
            case FIXED64, SFIXED64, DOUBLE -> {
                input.skipRawBytes(length);
                yield length / 8 * valueBytes;
            }
            default -> {
                // one value per byte without the continuation bit
                long values = 0;
                for (int i = 0; i < length; i++) {
                    values += (input.readRawByte() & 0x80) == 0 ? 1 : 0;
                }
                yield values * valueBytes;
            }
        };
    }
}
