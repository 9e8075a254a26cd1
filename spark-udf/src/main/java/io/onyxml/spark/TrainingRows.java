package io.onyxml.spark;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.OnyxException;
import io.onyxml.training.TrainingInput;
import io.onyxml.training.TrainingOption;
import io.onyxml.training.TrainingOptions;
import io.onyxml.training.data.ClassLabels;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.RowHash;
import io.onyxml.training.data.TrainTestSplit;
import io.onyxml.training.data.TrainingColumn;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Reads the training columns of Spark rows as the training module's table builder reads an engine's columns
 * (numbers and booleans as doubles, NaN and infinities refused, text as is, a NULL label leaves the row out, a class
 * label in its text form), and splits them into training and held-out rows by the core's rule: a row is held out when
 * its {@link RowHash} with the seed, as a fraction, is below {@code test_fraction}.
 */
final class TrainingRows
        implements Serializable
{
    enum Side
    {
        TRAINING,
        TEST,
    }

    /**
     * One row read: its features (a Double or null per numeric feature, a String or null per text feature), its label
     * (a Double read as numbers, a String read as classes, null without a label), its hash.
     */
    interface RowAction
    {
        void accept(Object[] values, Object label, long hash);
    }

    /**
     * What happens to a row with a label.
     */
    interface SplitAction
    {
        void accept(Object[] values, Object label, boolean test);
    }

    private final List<TrainingColumn> features;
    private final List<Integer> fields;
    // null without a label (Optional is not serializable)
    private final TrainingColumn label;
    private final int labelField;
    private final LabelRole role;
    private final double testFraction;
    private final long seed;

    /**
     * The rows of {@link #select}: the features, then the label.
     */
    static TrainingRows of(TrainingInput columns, TrainingOptions options)
    {
        int features = columns.featureColumns().size();
        return new TrainingRows(
                columns.featureColumns(),
                IntStream.range(0, features).boxed().collect(toImmutableList()),
                columns.labelColumn(),
                columns.labelColumn().isPresent() ? features : -1,
                columns.labelRole(options.algorithm()),
                options.number(TrainingOption.TEST_FRACTION),
                options.integer(TrainingOption.SEED));
    }

    /**
     * The columns a training reads: the features, then the label.
     */
    static Dataset<Row> select(Dataset<Row> input, TrainingInput columns)
    {
        List<Column> selected = new ArrayList<>();
        columns.featureColumns().forEach(feature -> selected.add(column(input, feature.name())));
        columns.labelColumn().ifPresent(label -> selected.add(column(input, label.name())));
        return input.select(selected.toArray(Column[]::new));
    }

    static Column column(Dataset<Row> rows, String name)
    {
        return rows.col("`" + name.replace("`", "``") + "`");
    }

    TrainingRows(List<TrainingColumn> features, List<Integer> fields, Optional<TrainingColumn> label, int labelField, LabelRole role, double testFraction, long seed)
    {
        this.features = ImmutableList.copyOf(features);
        this.fields = ImmutableList.copyOf(fields);
        this.label = label.orElse(null);
        this.labelField = labelField;
        this.role = requireNonNull(role, "role is null");
        this.testFraction = testFraction;
        this.seed = seed;
    }

    List<TrainingColumn> features()
    {
        return features;
    }

    /**
     * Every row with a label (or every row without one) on one side of the split, its values read into one reused
     * array.
     */
    void forEach(Iterator<Row> rows, Side side, RowAction action)
    {
        Object[] values = new Object[features.size()];
        while (rows.hasNext()) {
            Row row = rows.next();
            if (labelField >= 0 && row.isNullAt(labelField)) {
                continue;
            }
            read(row, values);
            Object labelValue = labelValue(row);
            long hash = RowHash.of(features, values, labelValue, seed);
            if (isTest(hash) == (side == Side.TEST)) {
                action.accept(values, labelValue, hash);
            }
        }
    }

    /**
     * Every row, on whichever side; {@code skipped} counts the rows left out for a NULL label.
     */
    long forEachSplit(Iterator<Row> rows, SplitAction action)
    {
        Object[] values = new Object[features.size()];
        long skipped = 0;
        while (rows.hasNext()) {
            Row row = rows.next();
            if (labelField >= 0 && row.isNullAt(labelField)) {
                skipped++;
                continue;
            }
            read(row, values);
            Object labelValue = labelValue(row);
            action.accept(values, labelValue, isTest(RowHash.of(features, values, labelValue, seed)));
        }
        return skipped;
    }

    private boolean isTest(long hash)
    {
        return testFraction > 0 && TrainTestSplit.isTest(hash, testFraction);
    }

    private void read(Row row, Object[] values)
    {
        for (int index = 0; index < values.length; index++) {
            int field = fields.get(index);
            if (row.isNullAt(field)) {
                values[index] = null;
            }
            else if (features.get(index).isText()) {
                values[index] = row.getString(field);
            }
            else {
                values[index] = finite(number(row.get(field)), features.get(index).name());
            }
        }
    }

    /**
     * The label as training reads it: a number, a class's text form, or null without a label.
     */
    private Object labelValue(Row row)
    {
        if (role == LabelRole.NONE) {
            return null;
        }
        Object value = row.get(labelField);
        String name = label.name();
        if (role == LabelRole.NUMBERS) {
            return finite(number(value), name);
        }
        ScalarType type = label.type();
        return switch (type) {
            case DOUBLE, FLOAT -> {
                double number = number(value);
                if (!Double.isFinite(number)) {
                    throw new OnyxException(INVALID_TRAINING_DATA, format("Label '%s' holds %s; classes must be finite numbers or text", name, number));
                }
                yield ClassLabels.format(number);
            }
            case BIGINT, INTEGER -> Long.toString(((Number) value).longValue());
            case BOOLEAN, VARCHAR -> value.toString();
        };
    }

    private static double number(Object value)
    {
        if (value instanceof Boolean flag) {
            return flag ? 1 : 0;
        }
        return ((Number) value).doubleValue();
    }

    private static double finite(double value, String column)
    {
        if (!Double.isFinite(value)) {
            throw new OnyxException(INVALID_TRAINING_DATA, format(
                    "Column '%s' holds %s; training accepts finite numbers only: use NULL for a missing value",
                    column,
                    value));
        }
        return value;
    }
}
