package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.MissingValues;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MaskedColumn;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.OnyxException;
import io.onyxml.training.TrainingLimits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.training.TrainingLimits.Limit.CATEGORIES;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Collects the rows of one training batch by batch, checking each value as it arrives: NaN and infinite numbers
 * are refused (NULL is the way to say a value is missing), the row limit and the category limit are enforced
 * before memory grows past them.
 */
public final class TrainingTableBuilder
{
    private static final int INITIAL_CAPACITY = 1024;

    private final String model;
    private final List<TrainingColumn> features;
    private final Optional<TrainingColumn> label;
    private final LabelRole labelRole;
    private final TrainingLimits limits;
    private final double[][] numbers;
    private final int[][] codes;
    private final Categories[] categories;
    private double[] labelNumbers;
    private int[] labelCodes;
    private final Categories labelClasses = new Categories();
    private int capacity = INITIAL_CAPACITY;
    private int rows;
    private long inputRows;
    private long skippedRows;

    public TrainingTableBuilder(String model, List<TrainingColumn> features, Optional<TrainingColumn> label, LabelRole labelRole, TrainingLimits limits)
    {
        this.model = requireNonNull(model, "model is null");
        this.features = ImmutableList.copyOf(features);
        this.label = requireNonNull(label, "label is null");
        this.labelRole = requireNonNull(labelRole, "labelRole is null");
        checkArgument(label.isPresent() == (labelRole != LabelRole.NONE), "a label needs a role and a role a label");
        this.limits = requireNonNull(limits, "limits is null");
        numbers = new double[features.size()][];
        codes = new int[features.size()][];
        categories = new Categories[features.size()];
        for (int feature = 0; feature < features.size(); feature++) {
            if (features.get(feature).isText()) {
                codes[feature] = new int[INITIAL_CAPACITY];
                categories[feature] = new Categories();
            }
            else {
                numbers[feature] = new double[INITIAL_CAPACITY];
            }
        }
        if (labelRole == LabelRole.NUMBERS) {
            labelNumbers = new double[INITIAL_CAPACITY];
        }
        else if (labelRole == LabelRole.CLASSES) {
            labelCodes = new int[INITIAL_CAPACITY];
        }
    }

    /**
     * Adds a batch: one column per feature, in the order of the features, and the label column when there is one.
     */
    public void append(List<Column> featureColumns, Optional<Column> labelColumn)
    {
        checkArgument(featureColumns.size() == features.size(), "%s feature columns for %s features", featureColumns.size(), features.size());
        checkArgument(labelColumn.isPresent() == label.isPresent(), "label column given without a label or missing");
        int size = labelColumn.map(Column::size).orElseGet(() -> featureColumns.isEmpty() ? 0 : featureColumns.get(0).size());
        int[] kept = keptRows(labelColumn, size);
        long firstInputRow = inputRows + 1;
        inputRows += size;
        skippedRows += size - kept.length;
        limits.checkRows(model, rows + (long) kept.length);
        ensureCapacity(rows + kept.length);
        for (int feature = 0; feature < features.size(); feature++) {
            Column column = featureColumns.get(feature);
            if (codes[feature] != null) {
                String[] values = ((StringColumn) column).values();
                for (int i = 0; i < kept.length; i++) {
                    String value = values[kept[i]];
                    int code = categories[feature].code(value == null ? MissingValues.TEXT : value, limits.maxCategories());
                    if (code < 0) {
                        throw limits.exceeded(CATEGORIES, format(
                                "Column '%s' has more than %s distinct values, the limit of categories per text column; group rare values in the input query",
                                features.get(feature).name(),
                                limits.maxCategories()));
                    }
                    codes[feature][rows + i] = code;
                }
            }
            else {
                copyNumbers(column, kept, numbers[feature], features.get(feature).name(), firstInputRow);
            }
        }
        if (labelNumbers != null) {
            copyNumbers(labelColumn.get(), kept, labelNumbers, label.get().name(), firstInputRow);
        }
        else if (labelCodes != null) {
            for (int i = 0; i < kept.length; i++) {
                int code = labelClasses.code(classValue(labelColumn.get(), kept[i], firstInputRow), limits.maxCategories());
                if (code < 0) {
                    throw limits.exceeded(CATEGORIES, format("Label '%s' has more than %s distinct classes, the limit of categories per column", label.get().name(), limits.maxCategories()));
                }
                labelCodes[rows + i] = code;
            }
        }
        rows += kept.length;
    }

    /**
     * The rows of a batch that are kept: those whose label is not NULL.
     */
    private static int[] keptRows(Optional<Column> labelColumn, int size)
    {
        int[] kept = new int[size];
        int count = 0;
        for (int row = 0; row < size; row++) {
            if (labelColumn.isEmpty() || !labelColumn.get().isNull(row)) {
                kept[count++] = row;
            }
        }
        return count == size ? kept : Arrays.copyOf(kept, count);
    }

    public int rows()
    {
        return rows;
    }

    public TrainingTable build()
    {
        List<List<String>> categoryValues = new ArrayList<>();
        for (Categories column : categories) {
            categoryValues.add(column == null ? ImmutableList.of() : column.values());
        }
        return new TrainingTable(features, label, rows, numbers, codes, categoryValues, labelNumbers, labelCodes, labelClasses.values(), skippedRows);
    }

    /**
     * Copies the kept rows of a numeric column to {@code target[rows ..]}, NaN for NULL; the column's type is looked at
     * once per batch, not per value.
     */
    private void copyNumbers(Column column, int[] kept, double[] target, String name, long firstInputRow)
    {
        if (column instanceof DoubleColumn doubles) {
            double[] values = doubles.values();
            for (int i = 0; i < kept.length; i++) {
                target[rows + i] = values[kept[i]];
            }
        }
        else if (column instanceof FloatColumn floats) {
            float[] values = floats.values();
            for (int i = 0; i < kept.length; i++) {
                target[rows + i] = values[kept[i]];
            }
        }
        else if (column instanceof LongColumn longs) {
            long[] values = longs.values();
            for (int i = 0; i < kept.length; i++) {
                target[rows + i] = values[kept[i]];
            }
        }
        else if (column instanceof IntColumn ints) {
            int[] values = ints.values();
            for (int i = 0; i < kept.length; i++) {
                target[rows + i] = values[kept[i]];
            }
        }
        else if (column instanceof BooleanColumn booleans) {
            boolean[] values = booleans.values();
            for (int i = 0; i < kept.length; i++) {
                target[rows + i] = values[kept[i]] ? 1 : 0;
            }
        }
        else {
            throw new IllegalArgumentException("column " + name + " is not numeric: " + column.type());
        }
        boolean[] nulls = ((MaskedColumn) column).nullMask();
        for (int i = 0; i < kept.length; i++) {
            if (nulls != null && nulls[kept[i]]) {
                target[rows + i] = Double.NaN;
            }
            else if (!Double.isFinite(target[rows + i])) {
                throw new OnyxException(INVALID_TRAINING_DATA, format(
                        "Column '%s' holds %s in input row %s; training accepts finite numbers only: use NULL for a missing value (filter with is_finite(%s))",
                        name,
                        target[rows + i],
                        firstInputRow + kept[i],
                        name));
            }
        }
    }

    private String classValue(Column column, int row, long firstInputRow)
    {
        if (column instanceof StringColumn strings) {
            return strings.values()[row];
        }
        if (column instanceof BooleanColumn booleans) {
            return Boolean.toString(booleans.values()[row]);
        }
        if (column instanceof LongColumn longs) {
            return Long.toString(longs.values()[row]);
        }
        if (column instanceof IntColumn ints) {
            return Integer.toString(ints.values()[row]);
        }
        if (column instanceof DoubleColumn doubles) {
            return ClassLabels.format(finite(doubles.values()[row], firstInputRow + row));
        }
        if (column instanceof FloatColumn floats) {
            return ClassLabels.format(finite(floats.values()[row], firstInputRow + row));
        }
        throw new IllegalArgumentException("label column is of an unsupported type: " + column.type());
    }

    private double finite(double value, long inputRow)
    {
        if (!Double.isFinite(value)) {
            throw new OnyxException(INVALID_TRAINING_DATA, format("Label '%s' holds %s in input row %s; classes must be finite numbers or text", label.orElseThrow().name(), value, inputRow));
        }
        return value;
    }

    private void ensureCapacity(int needed)
    {
        if (needed <= capacity) {
            return;
        }
        int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, Math.min(limits.maxRows(), capacity + (long) (capacity >> 1))));
        for (int feature = 0; feature < features.size(); feature++) {
            if (numbers[feature] != null) {
                numbers[feature] = Arrays.copyOf(numbers[feature], grown);
            }
            else {
                codes[feature] = Arrays.copyOf(codes[feature], grown);
            }
        }
        if (labelNumbers != null) {
            labelNumbers = Arrays.copyOf(labelNumbers, grown);
        }
        if (labelCodes != null) {
            labelCodes = Arrays.copyOf(labelCodes, grown);
        }
        capacity = grown;
    }
}
