package io.onyxml.inference.compiled;

import ai.onnx.proto.OnnxMl;
import io.onyxml.store.ElementType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * A tensor known when the model is compiled (an initializer, a {@code Constant} node, a tensor attribute), decoded
 * into Java arrays: numbers as doubles (floats are exact in a double), strings as strings.
 */
public record Constant(ElementType type, long[] dims, double[] numbers, String[] texts)
{
    public Constant
    {
        requireNonNull(type, "type is null");
        dims = dims.clone();
    }

    @Override
    public long[] dims()
    {
        return dims.clone();
    }

    public int size()
    {
        return type == ElementType.STRING ? texts.length : numbers.length;
    }

    public double number(int index)
    {
        return numbers[index];
    }

    public long[] longs()
    {
        return Arrays.stream(numbers).mapToLong(value -> (long) value).toArray();
    }

    static Constant decode(OnnxMl.TensorProto tensor)
    {
        ElementType type = ElementType.fromOnnxCode(tensor.getDataType());
        long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        if (count > Integer.MAX_VALUE) {
            throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' is too large to evaluate in the JVM");
        }
        int size = (int) count;
        if (type == ElementType.STRING) {
            String[] texts = new String[tensor.getStringDataCount()];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = tensor.getStringData(i).toStringUtf8();
            }
            return checked(new Constant(type, dims, null, texts), size, tensor);
        }
        ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean isRaw = raw.hasRemaining();
        double[] numbers = new double[isRaw ? rawCount(type, raw.remaining(), tensor) : typedCount(type, tensor)];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = switch (type) {
                case FLOAT -> isRaw ? raw.getFloat(i * 4) : tensor.getFloatData(i);
                case DOUBLE -> isRaw ? raw.getDouble(i * 8) : tensor.getDoubleData(i);
                case INT64 -> exactLong(isRaw ? raw.getLong(i * 8) : tensor.getInt64Data(i), tensor);
                case INT32 -> isRaw ? raw.getInt(i * 4) : tensor.getInt32Data(i);
                case BOOL -> (isRaw ? raw.get(i) : tensor.getInt32Data(i)) != 0 ? 1 : 0;
                default -> throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' has element type " + type.displayName());
            };
        }
        return checked(new Constant(type, dims, numbers, null), size, tensor);
    }

    private static int rawCount(ElementType type, int bytes, OnnxMl.TensorProto tensor)
    {
        return switch (type) {
            case FLOAT, INT32 -> bytes / 4;
            case DOUBLE, INT64 -> bytes / 8;
            case BOOL -> bytes;
            default -> throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' has element type " + type.displayName());
        };
    }

    private static int typedCount(ElementType type, OnnxMl.TensorProto tensor)
    {
        return switch (type) {
            case FLOAT -> tensor.getFloatDataCount();
            case DOUBLE -> tensor.getDoubleDataCount();
            case INT64 -> tensor.getInt64DataCount();
            case INT32, BOOL -> tensor.getInt32DataCount();
            default -> throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' has element type " + type.displayName());
        };
    }

    private static double exactLong(long value, OnnxMl.TensorProto tensor)
    {
        // int64 values are held as doubles in a frame: beyond 2^53 they would not be exact
        if (Math.abs(value) > (1L << 53)) {
            throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' holds an int64 beyond 2^53");
        }
        return value;
    }

    private static Constant checked(Constant constant, int size, OnnxMl.TensorProto tensor)
    {
        if (constant.size() != size) {
            throw new UnsupportedGraphException("tensor '" + tensor.getName() + "' holds " + constant.size() + " values for its shape " + Arrays.toString(constant.dims));
        }
        return constant;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Constant constant && type == constant.type && Arrays.equals(dims, constant.dims)
                && Arrays.equals(numbers, constant.numbers) && Arrays.equals(texts, constant.texts);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(dims) * 31 + type.hashCode();
    }

    @Override
    public String toString()
    {
        return "constant " + type.displayName() + Arrays.toString(dims);
    }
}
