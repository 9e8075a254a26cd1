package io.onyxml.inference.binding;

import com.google.common.collect.ImmutableSet;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueSpec;

import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * Which column types may feed which tensor element types. Numbers convert to float and double inputs
 * (double to float rounds to the nearest float); integer and bigint feed int64 and int32 inputs (a bigint outside
 * the int32 range is an error); boolean feeds bool, and float and double inputs as 0 or 1; varchar feeds string.
 * Everything else is refused.
 */
public final class TensorConversions
{
    public static final Set<ElementType> FEEDABLE = ImmutableSet.of(ElementType.FLOAT, ElementType.DOUBLE, ElementType.INT64, ElementType.INT32, ElementType.BOOL, ElementType.STRING);

    private TensorConversions() {}

    public static void checkFeedable(ModelManifest manifest, ValueSpec input)
    {
        checkFeedable(manifest.reference().toString(), input);
    }

    /**
     * @param model names the model in messages: a version ({@code churn/3}) or a model being registered ({@code 'churn'})
     */
    public static void checkFeedable(String model, ValueSpec input)
    {
        if (!input.isTensor()) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model %s input '%s' is a %s; Onyx feeds tensor inputs only",
                    model,
                    input.name(),
                    input.typeText()));
        }
        if (!FEEDABLE.contains(input.elementType())) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model %s input '%s' has element type %s; Onyx feeds inputs of type float, double, int64, int32, bool and string",
                    model,
                    input.name(),
                    input.elementType().displayName()));
        }
    }

    public static boolean canConvert(ScalarType source, ElementType target)
    {
        return switch (target) {
            case FLOAT, DOUBLE -> source.isNumeric() || source == ScalarType.BOOLEAN;
            case INT64, INT32 -> source == ScalarType.BIGINT || source == ScalarType.INTEGER;
            case BOOL -> source == ScalarType.BOOLEAN;
            case STRING -> source == ScalarType.VARCHAR;
            default -> false;
        };
    }

    static void checkConvertible(ModelManifest manifest, ValueSpec input, InputColumn column, ScalarType source)
    {
        if (!canConvert(source, input.elementType())) {
            throw new OnyxException(INVALID_MODEL_INPUT, format(
                    "Model %s input '%s' (%s) cannot take column %s of type %s: %s",
                    manifest.reference(),
                    input.name(),
                    input.typeText(),
                    InputBinder.columnName(column),
                    column.type().displayName(),
                    hint(input.elementType())));
        }
    }

    private static String hint(ElementType target)
    {
        return switch (target) {
            case FLOAT, DOUBLE -> "it needs a number (double, float, bigint, integer, or a boolean as 0 or 1)";
            case INT64, INT32 -> "it needs an integer; cast the column to bigint";
            case BOOL -> "it needs a boolean";
            case STRING -> "it needs a varchar";
            default -> "Onyx cannot feed it";
        };
    }
}
