package io.onyxml.store.onnx;

import ai.onnx.proto.OnnxMl;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelNames;
import io.onyxml.store.OnyxException;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_FILE;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * Checks that every tensor a file declares is held by the file itself: no external data files (Onyx loads a model
 * from its bytes alone), and exactly as many values as its shape declares, so that a small file cannot make a
 * runtime allocate for a huge declared shape. Sparse tensors, which ONNX Runtime expands to their dense shape, may
 * not expand beyond the size of the file.
 */
final class StoredTensors
{
    private static final int STRING = 8;

    private StoredTensors() {}

    static void check(GraphContents contents, long fileSize, String source)
    {
        for (OnnxMl.TensorProto tensor : contents.tensors()) {
            checkTensor(tensor, source);
        }
        for (OnnxMl.SparseTensorProto sparse : contents.sparseTensors()) {
            checkSparse(sparse, fileSize, source);
        }
    }

    private static void checkTensor(OnnxMl.TensorProto tensor, String source)
    {
        if (tensor.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL || tensor.getExternalDataCount() > 0) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "%s keeps tensor '%s' in an external data file; Onyx loads a model from its ONNX file alone, so save it with every tensor inside (onnx.save_model(model, path, save_as_external_data=False))",
                    source,
                    printable(tensor.getName())));
        }
        long declared = elementCount(tensor.getDimsList(), tensor.getName(), source);
        int type = tensor.getDataType();
        if (type != STRING && !tensor.getRawData().isEmpty()) {
            double bytes = elementBytes(type, tensor.getName(), source);
            // 4-bit types pack two values per byte
            double expected = bytes < 1 ? Math.ceil(declared / 2.0) : (double) declared * bytes;
            if (expected != tensor.getRawData().size()) {
                throw mismatch(tensor, declared, source, format("%s bytes", tensor.getRawData().size()));
            }
            return;
        }
        long stored = storedValues(tensor, source);
        // typed data packs 4-bit values two to an int32
        long expected = type != STRING && elementBytes(type, tensor.getName(), source) < 1 ? (declared + 1) / 2 : declared;
        if (stored != expected) {
            throw mismatch(tensor, declared, source, format("%s values", stored));
        }
    }

    private static OnyxException mismatch(OnnxMl.TensorProto tensor, long declared, String source, String held)
    {
        return new OnyxException(INVALID_MODEL_FILE, format(
                "%s declares tensor '%s' of shape %s (%s %s values) but holds %s for it",
                source,
                printable(tensor.getName()),
                tensor.getDimsList(),
                declared,
                typeName(tensor.getDataType()),
                held));
    }

    private static void checkSparse(OnnxMl.SparseTensorProto sparse, long fileSize, String source)
    {
        String name = sparse.getValues().getName();
        long elements = elementCount(sparse.getDimsList(), name, source);
        // a dense string tensor takes at least a pointer per value
        int type = sparse.getValues().getDataType();
        double bytes = elements * (type == STRING ? 8 : elementBytes(type, name, source));
        if (bytes > fileSize) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "%s declares sparse tensor '%s' of shape %s, which expands to %.0f bytes when loaded, more than the %s bytes of the file; store it as a dense tensor",
                    source,
                    printable(name),
                    sparse.getDimsList(),
                    bytes,
                    fileSize));
        }
    }

    private static long elementCount(Iterable<Long> dimensions, String name, String source)
    {
        long count = 1;
        for (long dimension : dimensions) {
            if (dimension < 0) {
                throw new OnyxException(INVALID_MODEL_FILE, format("%s declares tensor '%s' with a negative dimension %s", source, printable(name), dimension));
            }
            try {
                count = Math.multiplyExact(count, dimension);
            }
            catch (ArithmeticException e) {
                throw new OnyxException(INVALID_MODEL_FILE, format("%s declares tensor '%s' of shape %s, which has more values than a 64-bit count holds", source, printable(name), dimensions));
            }
        }
        return count;
    }

    /**
     * The number of values the file holds for a tensor without {@code raw_data}, in the typed field of its element type.
     */
    private static long storedValues(OnnxMl.TensorProto tensor, String source)
    {
        int type = tensor.getDataType();
        if (type == STRING) {
            return tensor.getStringDataCount();
        }
        elementBytes(type, tensor.getName(), source);
        long typed = (long) tensor.getFloatDataCount() + tensor.getInt32DataCount() + tensor.getInt64DataCount() + tensor.getDoubleDataCount() + tensor.getUint64DataCount();
        // complex numbers take two typed values each
        boolean complex = type == ElementType.COMPLEX64.onnxCode() || type == ElementType.COMPLEX128.onnxCode();
        return complex ? typed / 2 : typed;
    }

    /**
     * Bytes per value of an ONNX element type code, 0.5 for the 4-bit types.
     */
    private static double elementBytes(int type, String name, String source)
    {
        return switch (type) {
            case 1, 6, 12 -> 4;             // float, int32, uint32
            case 2, 3, 9, 17, 18, 19, 20, 24 -> 1; // uint8, int8, bool, the float8 types, float8e8m0
            case 4, 5, 10, 16 -> 2;         // uint16, int16, float16, bfloat16
            case 7, 11, 13, 14 -> 8;        // int64, double, uint64, complex64
            case 15 -> 16;                  // complex128
            case 21, 22, 23 -> 0.5;         // uint4, int4, float4e2m1
            default -> throw new OnyxException(UNSUPPORTED_MODEL, format("%s declares tensor '%s' of element type code %s, which Onyx does not know", source, printable(name), type));
        };
    }

    private static String typeName(int code)
    {
        ElementType type = ElementType.fromOnnxCode(code);
        return type == ElementType.UNDEFINED ? "code-" + code : type.displayName();
    }

    private static String printable(String name)
    {
        return ModelNames.printable(name);
    }
}
