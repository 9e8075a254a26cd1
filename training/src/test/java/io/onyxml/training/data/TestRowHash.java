package io.onyxml.training.data;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import io.onyxml.training.TrainingLimits;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestRowHash
{
    private static final List<TrainingColumn> FEATURES = List.of(
            new TrainingColumn("x", ScalarType.DOUBLE),
            new TrainingColumn("n", ScalarType.BIGINT),
            new TrainingColumn("flag", ScalarType.BOOLEAN),
            new TrainingColumn("kind", ScalarType.VARCHAR));

    @Test
    void mixIsTheSplitMix64Finaliser()
    {
        // the first output of SplitMix64 seeded with 0 (Steele, Lea, Flood 2014; the reference generator's test vector)
        assertThat(RowHash.mix(0x9E3779B97F4A7C15L)).isEqualTo(0xE220A8397B1DCDAFL);
    }

    @Test
    void aTableRowAndItsRawValuesHashAlike()
    {
        double[] x = {1.5, -0.0, 0, Double.NaN};
        boolean[] xNulls = {false, false, false, true};
        String[] kind = {"a", null, "", "b"};
        String[] classes = {"yes", "no", "yes", "no"};
        TrainingTableBuilder builder = new TrainingTableBuilder("test", FEATURES, Optional.of(new TrainingColumn("y", ScalarType.VARCHAR)), LabelRole.CLASSES, TrainingLimits.DEFAULTS);
        builder.append(
                ImmutableList.<Column>of(new DoubleColumn(x, xNulls), new LongColumn(new long[] {3, 3, 4, 5}, null), new BooleanColumn(new boolean[] {true, false, false, true}, null), new StringColumn(kind)),
                Optional.of(new StringColumn(classes)));
        TrainingTable table = builder.build();
        Object[][] raw = {
                {1.5, 3.0, 1.0, "a"},
                {-0.0, 3.0, 0.0, null},
                {0.0, 4.0, 0.0, ""},
                {null, 5.0, 1.0, "b"}};
        for (int row = 0; row < 4; row++) {
            assertThat(RowHash.of(table, row, 42)).isEqualTo(RowHash.of(FEATURES, raw[row], classes[row], 42));
        }
        // -0.0 is 0.0 and a NULL text is '': rows 1 and 2 differ only in n
        assertThat(RowHash.of(FEATURES, raw[1], "no", 42)).isEqualTo(RowHash.of(FEATURES, new Object[] {0.0, 3.0, 0.0, ""}, "no", 42));
        assertThat(RowHash.of(FEATURES, raw[1], "no", 42)).isNotEqualTo(RowHash.of(FEATURES, raw[1], "no", 43));
        // a numeric label hashes by its value
        assertThat(RowHash.of(FEATURES, raw[0], 2.0, 42)).isNotEqualTo(RowHash.of(FEATURES, raw[0], 3.0, 42)).isNotEqualTo(RowHash.of(FEATURES, raw[0], null, 42));
    }

    @Test
    void hashOrderSortsByHashWithManyEqualKeys()
    {
        int size = 5000;
        long[] keys = new long[size];
        int[] rows = new int[size];
        for (int i = 0; i < size; i++) {
            // few distinct keys, as many equal rows give
            keys[i] = RowHash.mix(i % 37) >> 3;
            rows[i] = i;
        }
        long[] expected = keys.clone();
        java.util.Arrays.sort(expected);
        long[] original = keys.clone();
        HashOrder.sort(keys, rows, 0, size - 1);
        assertThat(keys).isEqualTo(expected);
        for (int i = 0; i < size; i++) {
            assertThat(original[rows[i]]).isEqualTo(keys[i]);
        }
        assertThat(java.util.Arrays.stream(rows).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, size).toArray());
    }
}
