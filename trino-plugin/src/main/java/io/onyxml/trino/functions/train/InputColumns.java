package io.onyxml.trino.functions.train;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.training.Algorithm;
import io.onyxml.trino.TypeMapping;
import io.trino.spi.TrinoException;
import io.trino.spi.function.table.Descriptor;
import io.trino.spi.type.RowType;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.trino.spi.StandardErrorCode.INVALID_FUNCTION_ARGUMENT;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * Which input columns a training or an evaluation reads, with the errors a SQL user can act on.
 */
public final class InputColumns
{
    private InputColumns() {}

    public static int find(List<RowType.Field> fields, String name, String role)
    {
        int found = -1;
        for (int index = 0; index < fields.size(); index++) {
            if (fields.get(index).getName().map(field -> field.equalsIgnoreCase(name)).orElse(false)) {
                if (found >= 0) {
                    throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format("The %s column '%s' matches several input columns when case is ignored; rename them in the input query", role, name));
                }
                found = index;
            }
        }
        if (found < 0) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                    "The %s column '%s' is not a column of the input table; its columns are: %s",
                    role,
                    name,
                    fields.stream().map(InputColumns::name).collect(joining(", "))));
        }
        return found;
    }

    /**
     * The listed columns, or every column that is not the label or a partitioning column; each must be a number,
     * a boolean or a varchar.
     */
    static List<Integer> features(List<RowType.Field> fields, Optional<Descriptor> listed, Optional<Integer> label, List<Integer> partitions)
    {
        ImmutableList.Builder<Integer> features = ImmutableList.builder();
        if (listed.isPresent()) {
            Set<String> seen = new HashSet<>();
            for (Descriptor.Field field : listed.get().getFields()) {
                String name = field.getName().orElseThrow().toLowerCase(Locale.ROOT);
                if (!seen.add(name)) {
                    throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format("Column '%s' is listed twice in features => DESCRIPTOR(...)", name));
                }
                int index = find(fields, name, "feature");
                if (label.isPresent() && label.get() == index) {
                    throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format("Column '%s' is the label; it cannot also be a feature", name));
                }
                checkFeatureType(fields.get(index));
                features.add(index);
            }
        }
        else {
            for (int index = 0; index < fields.size(); index++) {
                if ((label.isPresent() && label.get() == index) || partitions.contains(index)) {
                    continue;
                }
                checkFeatureType(fields.get(index));
                features.add(index);
            }
        }
        List<Integer> result = features.build();
        if (result.isEmpty()) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, "The input has no feature columns: it needs columns besides the label and the PARTITION BY columns");
        }
        return result;
    }

    static void checkFeatureType(RowType.Field field)
    {
        Optional<ColumnType> type = TypeMapping.toColumnType(field.getType());
        if (type.isEmpty() || !(type.get() instanceof ScalarType)) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                    "Column '%s' has type %s, which cannot be a feature: use numbers, boolean or varchar (cast it in the input query, or name the features with features => DESCRIPTOR(...))",
                    name(field),
                    field.getType()));
        }
    }

    static void checkPartitionType(RowType.Field field)
    {
        Optional<ColumnType> type = TypeMapping.toColumnType(field.getType());
        if (type.isEmpty() || !(type.get() instanceof ScalarType)) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                    "PARTITION BY column '%s' has type %s; train one model per value of a number, boolean or varchar column (cast it in the input query)",
                    name(field),
                    field.getType()));
        }
    }

    static void checkLabelType(Algorithm algorithm, RowType.Field field)
    {
        Optional<ColumnType> type = TypeMapping.toColumnType(field.getType());
        boolean scalar = type.isPresent() && type.get() instanceof ScalarType;
        boolean numeric = scalar && ((ScalarType) type.get()).isNumeric();
        if (algorithm == Algorithm.LINEAR_REGRESSION && !numeric) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                    "Label '%s' has type %s; linear_regression needs a numeric label (for classes use logistic_regression)",
                    name(field),
                    field.getType()));
        }
        if (!scalar) {
            throw new TrinoException(INVALID_FUNCTION_ARGUMENT, format(
                    "Label '%s' has type %s; %s needs a label of numbers, boolean or varchar",
                    name(field),
                    field.getType(),
                    algorithm.algorithmName()));
        }
    }

    static String name(RowType.Field field)
    {
        return field.getName().orElse("");
    }
}
