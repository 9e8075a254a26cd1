package io.onyxml.training;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.training.data.LabelRole;
import io.onyxml.training.data.TrainingColumn;
import io.onyxml.training.data.TrainingTable;
import io.onyxml.training.data.TrainingTableBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Columns for training tests, built by formula so that scikit-learn can rebuild the same data (see the numbers
 * recorded in the tests).
 */
final class TrainingData
{
    private final List<String> names = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();

    TrainingData numbers(String name, double... values)
    {
        names.add(name);
        columns.add(new DoubleColumn(values, null));
        return this;
    }

    TrainingData numbersWithNulls(String name, Double... values)
    {
        double[] numbers = new double[values.length];
        boolean[] nulls = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            nulls[i] = values[i] == null;
            numbers[i] = values[i] == null ? 0 : values[i];
        }
        names.add(name);
        columns.add(new DoubleColumn(numbers, nulls));
        return this;
    }

    TrainingData texts(String name, String... values)
    {
        names.add(name);
        columns.add(new StringColumn(values));
        return this;
    }

    List<Column> columns()
    {
        return columns;
    }

    /**
     * Every column but the label as features.
     */
    TrainingTable table(String label, LabelRole role)
    {
        List<TrainingColumn> features = new ArrayList<>();
        List<Column> featureColumns = new ArrayList<>();
        Optional<TrainingColumn> labelColumn = Optional.empty();
        Optional<Column> labelValues = Optional.empty();
        for (int i = 0; i < names.size(); i++) {
            ScalarType type = (ScalarType) columns.get(i).type();
            if (names.get(i).equals(label)) {
                labelColumn = Optional.of(new TrainingColumn(names.get(i), type));
                labelValues = Optional.of(columns.get(i));
                continue;
            }
            features.add(new TrainingColumn(names.get(i), type));
            featureColumns.add(columns.get(i));
        }
        TrainingTableBuilder builder = new TrainingTableBuilder("test", features, labelColumn, role, TrainingLimits.DEFAULTS);
        builder.append(ImmutableList.copyOf(featureColumns), labelValues);
        return builder.build();
    }

    static double[] sequence(int count, java.util.function.IntToDoubleFunction formula)
    {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = formula.applyAsDouble(i);
        }
        return values;
    }

    static String[] texts(int count, java.util.function.IntFunction<String> formula)
    {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = formula.apply(i);
        }
        return values;
    }
}
