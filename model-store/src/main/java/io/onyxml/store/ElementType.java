package io.onyxml.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The element types of ONNX tensors, with the numbers the ONNX format uses for them ({@code TensorProto.DataType}).
 */
public enum ElementType
{
    FLOAT(1),
    UINT8(2),
    INT8(3),
    UINT16(4),
    INT16(5),
    INT32(6),
    INT64(7),
    STRING(8),
    BOOL(9),
    FLOAT16(10),
    DOUBLE(11),
    UINT32(12),
    UINT64(13),
    COMPLEX64(14),
    COMPLEX128(15),
    BFLOAT16(16),
    UNDEFINED(0);

    private final int onnxCode;

    ElementType(int onnxCode)
    {
        this.onnxCode = onnxCode;
    }

    public int onnxCode()
    {
        return onnxCode;
    }

    /**
     * The lower-case name used in manifests and messages, e.g. {@code float}, {@code int64}.
     */
    public String displayName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFloatingPoint()
    {
        return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
    }

    public boolean isInteger()
    {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, UINT32, UINT64 -> true;
            default -> false;
        };
    }

    public boolean isNumeric()
    {
        return isFloatingPoint() || isInteger();
    }

    public static ElementType fromOnnxCode(int code)
    {
        return Arrays.stream(values())
                .filter(type -> type.onnxCode == code)
                .findFirst()
                .orElse(UNDEFINED);
    }

    public static Optional<ElementType> fromDisplayName(String name)
    {
        return Arrays.stream(values())
                .filter(type -> type.displayName().equals(name))
                .findFirst();
    }
}
