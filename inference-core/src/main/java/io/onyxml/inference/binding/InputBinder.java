package io.onyxml.inference.binding;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.BindingMode;
import io.onyxml.inference.InputColumn;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.binding.InputBinding.ArrayInput;
import io.onyxml.inference.binding.InputBinding.PackedInput;
import io.onyxml.inference.binding.InputBinding.ScalarInput;
import io.onyxml.store.ModelFeatures;
import io.onyxml.store.ModelManifest;
import io.onyxml.store.OnyxException;
import io.onyxml.store.ValueSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.onyxml.store.ModelNames.printable;
import static io.onyxml.store.OnyxErrorCode.INVALID_MODEL_INPUT;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * Decides, once per model and column layout, which columns fill which model input; every mismatch is reported here,
 * before any row is read, with the model, the input and the column named.
 */
public final class InputBinder
{
    private InputBinder() {}

    public static List<InputBinding> bind(ModelManifest manifest, List<InputColumn> columns, BindingMode mode)
    {
        List<FeatureSlots> inputs = featureSlots(manifest);
        for (FeatureSlots input : inputs) {
            TensorConversions.checkFeedable(manifest, input.spec());
        }
        return switch (mode) {
            case BY_POSITION -> bindByPosition(manifest, inputs, columns);
            case BY_NAME -> bindByName(manifest, inputs, columns);
        };
    }

    private static List<InputBinding> bindByPosition(ModelManifest manifest, List<FeatureSlots> inputs, List<InputColumn> columns)
    {
        ImmutableList.Builder<InputBinding> bindings = ImmutableList.builder();
        int next = 0;
        for (FeatureSlots input : inputs) {
            if (next >= columns.size()) {
                throw featureCountMismatch(manifest, columns);
            }
            InputColumn column = columns.get(next);
            if (column.type() instanceof ColumnType.ArrayType) {
                bindings.add(arrayInput(manifest, input, next, column));
                next++;
                continue;
            }
            if (input.isArrayOnly()) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s input %s takes an array per row, but value %s (%s) is %s",
                        manifest.reference(),
                        input.describe(),
                        next + 1,
                        columnName(column),
                        column.type().displayName()));
            }
            if (next + input.names().size() > columns.size()) {
                throw featureCountMismatch(manifest, columns);
            }
            bindings.add(scalarInputs(manifest, input, columns, range(next, input.names().size())));
            next += input.names().size();
        }
        if (next != columns.size()) {
            throw featureCountMismatch(manifest, columns);
        }
        return bindings.build();
    }

    private static List<InputBinding> bindByName(ModelManifest manifest, List<FeatureSlots> inputs, List<InputColumn> columns)
    {
        ImmutableList.Builder<InputBinding> bindings = ImmutableList.builder();
        for (FeatureSlots input : inputs) {
            Optional<Integer> whole = find(manifest, columns, input.spec().name());
            if (whole.isPresent() && (columns.get(whole.get()).type() instanceof ColumnType.ArrayType || input.names().size() == 1)) {
                InputColumn column = columns.get(whole.get());
                bindings.add(column.type() instanceof ColumnType.ArrayType
                        ? arrayInput(manifest, input, whole.get(), column)
                        : scalarInputs(manifest, input, columns, ImmutableList.of(whole.get())));
                continue;
            }
            if (input.isArrayOnly()) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s input %s needs an array column named '%s'; the columns are: %s",
                        manifest.reference(),
                        input.describe(),
                        input.spec().name(),
                        describe(columns)));
            }
            List<Integer> found = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String feature : input.names()) {
                find(manifest, columns, feature).ifPresentOrElse(found::add, () -> missing.add(feature));
            }
            if (!missing.isEmpty()) {
                String alternative = input.names().size() > 1 ? format(", or an array column named '%s'", input.spec().name()) : "";
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s needs %s %s for input %s%s; missing: %s; the columns are: %s",
                        manifest.reference(),
                        input.names().size() == 1 ? "a column named" : "columns named",
                        String.join(", ", input.names()),
                        input.describe(),
                        alternative,
                        String.join(", ", missing),
                        describe(columns)));
            }
            bindings.add(scalarInputs(manifest, input, columns, found));
        }
        return bindings.build();
    }

    private static InputBinding scalarInputs(ModelManifest manifest, FeatureSlots input, List<InputColumn> columns, List<Integer> indexes)
    {
        ImmutableList.Builder<ScalarType> types = ImmutableList.builder();
        for (int i = 0; i < indexes.size(); i++) {
            InputColumn column = columns.get(indexes.get(i));
            if (!(column.type() instanceof ScalarType type)) {
                throw new OnyxException(INVALID_MODEL_INPUT, format(
                        "Model %s feature '%s' of input %s takes one value per row, but column %s is %s",
                        manifest.reference(),
                        input.names().get(i),
                        input.describe(),
                        columnName(column),
                        column.type().displayName()));
            }
            TensorConversions.checkConvertible(manifest, input.spec(), column, type);
            types.add(type);
        }
        List<ScalarType> columnTypes = types.build();
        if (indexes.size() == 1) {
            return new ScalarInput(input.spec(), input.names().get(0), indexes.get(0), columnTypes.get(0));
        }
        return new PackedInput(input.spec(), input.names(), indexes, columnTypes);
    }

    private static InputBinding arrayInput(ModelManifest manifest, FeatureSlots input, int index, InputColumn column)
    {
        ScalarType elementType = ((ColumnType.ArrayType) column.type()).elementType();
        TensorConversions.checkConvertible(manifest, input.spec(), column, elementType);
        if (ModelFeatures.isScalarPerRow(input.spec())) {
            throw new OnyxException(INVALID_MODEL_INPUT, format(
                    "Model %s input %s takes one value per row, but column %s is %s",
                    manifest.reference(),
                    input.describe(),
                    columnName(column),
                    column.type().displayName()));
        }
        long width = input.spec().valuesPerRow().orElse(-1L);
        if (width > Integer.MAX_VALUE) {
            throw new OnyxException(INVALID_MODEL_INPUT, format(
                    "Model %s input %s takes %s values per row, more than an array column can hold",
                    manifest.reference(),
                    input.describe(),
                    width == Long.MAX_VALUE ? "more than 9223372036854775807" : width));
        }
        return new ArrayInput(input.spec(), index, elementType, width);
    }

    private static OnyxException featureCountMismatch(ModelManifest manifest, List<InputColumn> columns)
    {
        return new OnyxException(INVALID_MODEL_INPUT, format(
                "Model %s takes %s features (%s), or one array per input, but %s values were given",
                manifest.reference(),
                manifest.featureNames().size(),
                String.join(", ", manifest.featureNames()),
                columns.size()));
    }

    /**
     * The features of each input, named by the manifest; falls back to the default names when a manifest's feature
     * names do not fit its signature.
     */
    private static List<FeatureSlots> featureSlots(ModelManifest manifest)
    {
        List<String> names = manifest.featureNames();
        if (names.size() != ModelFeatures.totalFeatureCount(manifest.signature())) {
            names = ModelFeatures.inputNames(manifest.signature());
        }
        ImmutableList.Builder<FeatureSlots> slots = ImmutableList.builder();
        int offset = 0;
        for (ValueSpec input : manifest.signature().inputs()) {
            int count = ModelFeatures.featureCount(input);
            boolean arrayOnly = count == 1 && !ModelFeatures.isScalarPerRow(input);
            slots.add(new FeatureSlots(input, names.subList(offset, offset + count), arrayOnly));
            offset += count;
        }
        return slots.build();
    }

    private record FeatureSlots(ValueSpec spec, List<String> names, boolean isArrayOnly)
    {
        String describe()
        {
            return "'" + spec.name() + "' (" + spec.typeText() + ")";
        }
    }

    /**
     * The column whose name matches, regardless of case, as SQL names do; several matches are an error, since either
     * could be meant.
     */
    private static Optional<Integer> find(ModelManifest manifest, List<InputColumn> columns, String name)
    {
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                matches.add(i);
            }
        }
        if (matches.size() > 1) {
            throw new OnyxException(INVALID_MODEL_INPUT, format(
                    "Model %s feature '%s' matches several columns when case is ignored: %s; keep one of them or rename the others in the input query",
                    manifest.reference(),
                    name,
                    matches.stream().map(index -> columnName(columns.get(index))).collect(joining(", "))));
        }
        return matches.stream().findFirst();
    }

    private static List<Integer> range(int start, int count)
    {
        ImmutableList.Builder<Integer> indexes = ImmutableList.builder();
        for (int i = 0; i < count; i++) {
            indexes.add(start + i);
        }
        return indexes.build();
    }

    /**
     * A column's name for a message: a long name by its start and length, control characters escaped.
     */
    static String columnName(InputColumn column)
    {
        return "'" + printable(column.name()) + "'";
    }

    private static String describe(List<InputColumn> columns)
    {
        return columns.isEmpty() ? "none" : columns.stream().map(column -> printable(column.name()) + " " + column.type().displayName()).collect(joining(", "));
    }
}
