package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.store.OnyxException;
import io.onyxml.training.TrainingLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INVALID_TRAINING_DATA;
import static io.onyxml.store.OnyxErrorCode.TRAINING_LIMIT_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TestTrainingTable
{
    private static final List<TrainingColumn> FEATURES = ImmutableList.of(new TrainingColumn("x", ScalarType.DOUBLE), new TrainingColumn("t", ScalarType.VARCHAR));
    private static final Optional<TrainingColumn> LABEL = Optional.of(new TrainingColumn("y", ScalarType.BIGINT));

    @Test
    void nullLabelsAreSkippedAndValuesChecked()
    {
        TrainingTableBuilder builder = builder(TrainingLimits.DEFAULTS);
        builder.append(columns(new double[] {1, 2, 3}, new String[] {"a", null, "b"}), Optional.of(new LongColumn(new long[] {1, 0, 3}, new boolean[] {false, true, false})));
        TrainingTable table = builder.build();
        assertThat(table.rows()).isEqualTo(2);
        assertThat(table.skippedRows()).isEqualTo(1);
        assertThat(table.labelValues()).containsExactly("1", "3");

        assertThatThrownBy(() -> builder.append(columns(new double[] {Double.NaN}, new String[] {"a"}), Optional.of(new LongColumn(new long[] {1}, null))))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(INVALID_TRAINING_DATA))
                .hasMessage("Column 'x' holds NaN in input row 4; training accepts finite numbers only: use NULL for a missing value (filter with is_finite(x))");
    }

    @Test
    void limitsFailBeforeMemoryGrows()
    {
        TrainingLimits limits = new TrainingLimits(2, 10, 2, Duration.ofMinutes(1), java.util.Map.of(TrainingLimits.Limit.ROWS, "raise training_max_rows"));
        TrainingTableBuilder rows = builder(limits);
        assertThatThrownBy(() -> rows.append(columns(new double[] {1, 2, 3}, new String[] {"a", "a", "a"}), Optional.of(new LongColumn(new long[] {1, 2, 3}, null))))
                .isInstanceOfSatisfying(OnyxException.class, e -> assertThat(e.errorCode()).isEqualTo(TRAINING_LIMIT_EXCEEDED))
                .hasMessage("Training model 'm' reads more than 2 rows, the limit of rows per model; raise training_max_rows");
        TrainingTableBuilder categories = builder(new TrainingLimits(100, 10, 2, Duration.ofMinutes(1), java.util.Map.of()));
        assertThatThrownBy(() -> categories.append(columns(new double[] {1, 2, 3}, new String[] {"a", "b", "c"}), Optional.of(new LongColumn(new long[] {1, 2, 3}, null))))
                .hasMessage("Column 't' has more than 2 distinct values, the limit of categories per text column; group rare values in the input query");
    }

    @Test
    void splitIsDeterministicAndIndependentOfRowOrder()
    {
        int rows = 2000;
        double[] x = new double[rows];
        String[] t = new String[rows];
        long[] y = new long[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = i * 0.5;
            t[i] = "v" + (i % 7);
            y[i] = i % 2;
        }
        TrainingTable forward = table(x, t, y);
        Set<Double> heldOut = heldOut(forward, TrainTestSplit.of(forward, 0.2, 42));
        assertThat((double) heldOut.size() / rows).isCloseTo(0.2, within(0.03));
        assertThat(heldOut(forward, TrainTestSplit.of(forward, 0.2, 42))).isEqualTo(heldOut);
        assertThat(heldOut(forward, TrainTestSplit.of(forward, 0.2, 43))).isNotEqualTo(heldOut);

        // the same rows in reverse order hold out the same rows
        double[] reversedX = new double[rows];
        String[] reversedT = new String[rows];
        long[] reversedY = new long[rows];
        for (int i = 0; i < rows; i++) {
            reversedX[i] = x[rows - 1 - i];
            reversedT[i] = t[rows - 1 - i];
            reversedY[i] = y[rows - 1 - i];
        }
        TrainingTable reversed = table(reversedX, reversedT, reversedY);
        assertThat(heldOut(reversed, TrainTestSplit.of(reversed, 0.2, 42))).isEqualTo(heldOut);
    }

    private static Set<Double> heldOut(TrainingTable table, TrainTestSplit split)
    {
        Set<Double> values = new HashSet<>();
        Arrays.stream(split.testRows()).forEach(row -> values.add(table.numbers(0)[row]));
        return values;
    }

    private static TrainingTable table(double[] x, String[] t, long[] y)
    {
        TrainingTableBuilder builder = builder(TrainingLimits.DEFAULTS);
        builder.append(columns(x, t), Optional.of(new LongColumn(y, null)));
        return builder.build();
    }

    private static TrainingTableBuilder builder(TrainingLimits limits)
    {
        return new TrainingTableBuilder("m", FEATURES, LABEL, LabelRole.CLASSES, limits);
    }

    private static List<Column> columns(double[] x, String[] t)
    {
        List<Column> columns = new ArrayList<>();
        columns.add(new DoubleColumn(x, null));
        columns.add(new StringColumn(t));
        return columns;
    }
}
