package io.onyxml.training;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.EngineColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.OnyxException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.ModelNames.printable;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.stream.Collectors.joining;

/**
 * Which input columns a training or an evaluation reads, the same in every engine, with errors a user can act on:
 * columns are found by name ignoring case (an ambiguous name is an error), the features are the listed columns or
 * every column but the label and the partitioning columns, and features, labels and partitioning columns must be
 * numbers, booleans or text.
 */
public final class InputColumns
{
    private InputColumns() {}

    /**
     * The index of the column called {@code name}, case ignored. Messages show a long name by its start and length.
     *
     * @param role what the column is for, in messages: {@code label}, {@code feature}, {@code PARTITION BY}
     */
    public static int find(List<EngineColumn> columns, String name, String role, InputWording wording)
    {
        int found = -1;
        for (int index = 0; index < columns.size(); index++) {
            if (columns.get(index).name().equalsIgnoreCase(name)) {
                if (found >= 0) {
                    throw new OnyxException(INVALID_ARGUMENT, format("The %s column '%s' matches several input columns when case is ignored; rename them %s", role, printable(name), wording.fix()));
                }
                found = index;
            }
        }
        if (found < 0) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "The %s column '%s' is not a column of the %s; its columns are: %s",
                    role,
                    printable(name),
                    wording.input(),
                    columns.stream().map(column -> printable(column.name())).collect(joining(", "))));
        }
        return found;
    }

    /**
     * The listed columns, or every column that is not the label or a partitioning column; each must be a number, a
     * boolean or text, and none may also be the label or a partitioning column.
     */
    public static List<Integer> features(List<EngineColumn> columns, Optional<List<String>> listed, Optional<Integer> label, List<Integer> partitions, InputWording wording)
    {
        ImmutableList.Builder<Integer> features = ImmutableList.builder();
        if (listed.isPresent()) {
            Set<String> seen = new HashSet<>();
            for (String listedName : listed.get()) {
                String name = listedName.toLowerCase(Locale.ROOT);
                if (!seen.add(name)) {
                    throw new OnyxException(INVALID_ARGUMENT, format("Column '%s' is listed twice in %s", name, wording.featureList()));
                }
                int index = find(columns, name, "feature", wording);
                if (label.isPresent() && label.get() == index) {
                    throw new OnyxException(INVALID_ARGUMENT, format("Column '%s' is the label; it cannot also be a feature", name));
                }
                if (partitions.contains(index)) {
                    throw new OnyxException(INVALID_ARGUMENT, format("Column '%s' is a PARTITION BY column; it cannot also be a feature", name));
                }
                checkFeatureType(columns.get(index), wording);
                features.add(index);
            }
        }
        else {
            for (int index = 0; index < columns.size(); index++) {
                if ((label.isPresent() && label.get() == index) || partitions.contains(index)) {
                    continue;
                }
                checkFeatureType(columns.get(index), wording);
                features.add(index);
            }
        }
        List<Integer> result = features.build();
        if (result.isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, "The input has no feature columns" + besides(label.isPresent(), !partitions.isEmpty()));
        }
        return result;
    }

    private static String besides(boolean label, boolean partitions)
    {
        if (label && partitions) {
            return ": it needs columns besides the label and the PARTITION BY columns";
        }
        if (partitions) {
            return ": it needs columns besides the PARTITION BY columns";
        }
        return label ? ": it needs columns besides the label" : "";
    }

    public static void checkFeatureType(EngineColumn column, InputWording wording)
    {
        if (scalar(column).isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Column '%s' has type %s, which cannot be a feature: use numbers, boolean or varchar (%s)",
                    column.name(),
                    column.engineType(),
                    wording.featureTypeHint()));
        }
    }

    public static void checkPartitionType(EngineColumn column, InputWording wording)
    {
        if (scalar(column).isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "PARTITION BY column '%s' has type %s; train one model per value of a number, boolean or varchar column (cast it %s)",
                    column.name(),
                    column.engineType(),
                    wording.fix()));
        }
    }

    /**
     * A training label: numeric for linear_regression, a number, boolean or text for the others.
     */
    public static void checkLabelType(Algorithm algorithm, EngineColumn column)
    {
        Optional<ScalarType> type = scalar(column);
        if (algorithm == Algorithm.LINEAR_REGRESSION && !type.map(ScalarType::isNumeric).orElse(false)) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Label '%s' has type %s; linear_regression needs a numeric label (for classes use logistic_regression)",
                    column.name(),
                    column.engineType()));
        }
        checkLabelType(algorithm.algorithmName(), column);
    }

    /**
     * A label of numbers, booleans or text, for {@code what} (an algorithm, or {@code evaluate}).
     */
    public static void checkLabelType(String what, EngineColumn column)
    {
        if (scalar(column).isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Label '%s' has type %s; %s needs a label of numbers, boolean or varchar",
                    column.name(),
                    column.engineType(),
                    what));
        }
    }

    static Optional<ScalarType> scalar(EngineColumn column)
    {
        return column.type().filter(ScalarType.class::isInstance).map(ScalarType.class::cast);
    }
}
