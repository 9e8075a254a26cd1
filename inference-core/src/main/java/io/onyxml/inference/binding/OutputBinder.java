package io.onyxml.inference.binding;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.OutputColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueKind;
import io.onyxml.store.ValueSpec;

import java.util.List;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * Decides the output columns of a model from its signature alone, so that engines know the result types before
 * any model is loaded. Outputs Onyx cannot represent are left out; a model with none left is refused.
 * <p>
 * Element types map to column types as: float, float16 and bfloat16 to float; double to double; int64, uint32 and
 * uint64 to bigint (uint64 values above 2^63-1 wrap); int32, int16, int8, uint16 and uint8 to integer; bool to
 * boolean; string to varchar.
 */
public final class OutputBinder
{
    private OutputBinder() {}

    public static List<OutputBinding> bind(ModelManifest manifest)
    {
        ImmutableList.Builder<OutputBinding> outputs = ImmutableList.builder();
        for (ValueSpec output : manifest.signature().outputs()) {
            columnType(output).ifPresent(type -> outputs.add(new OutputBinding(output, new OutputColumn(output.name(), type))));
        }
        List<OutputBinding> bindings = outputs.build();
        if (bindings.isEmpty()) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model %s has no output Onyx can return (outputs: %s); Onyx returns tensors and sequences of maps",
                    manifest.reference(),
                    manifest.signature().outputs()));
        }
        return bindings;
    }

    static Optional<ColumnType> columnType(ValueSpec output)
    {
        if (output.kind() == ValueKind.SEQUENCE_OF_MAPS) {
            Optional<ScalarType> key = output.keyType().flatMap(OutputBinder::scalarType);
            Optional<ScalarType> value = scalarType(output.elementType());
            if (key.isEmpty() || value.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(ColumnType.map(key.get(), value.get()));
        }
        if (output.kind() != ValueKind.TENSOR) {
            return Optional.empty();
        }
        Optional<ScalarType> element = scalarType(output.elementType());
        if (element.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ModelFeatures.isScalarPerRow(output) ? element.get() : ColumnType.array(element.get()));
    }

    public static Optional<ScalarType> scalarType(ElementType type)
    {
        return switch (type) {
            case FLOAT, FLOAT16, BFLOAT16 -> Optional.of(ScalarType.FLOAT);
            case DOUBLE -> Optional.of(ScalarType.DOUBLE);
            case INT64, UINT32, UINT64 -> Optional.of(ScalarType.BIGINT);
            case INT32, INT16, INT8, UINT16, UINT8 -> Optional.of(ScalarType.INTEGER);
            case BOOL -> Optional.of(ScalarType.BOOLEAN);
            case STRING -> Optional.of(ScalarType.VARCHAR);
            default -> Optional.empty();
        };
    }
}
