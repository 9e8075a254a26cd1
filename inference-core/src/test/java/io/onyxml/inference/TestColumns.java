package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.Columns;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.StringColumn;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestColumns
{
    @Test
    void joinsScalarColumnsWithTheirNulls()
    {
        Column joined = Columns.concat(List.of(DoubleColumn.of(1, 2), new DoubleColumn(new double[] {3, 0}, new boolean[] {false, true}), DoubleColumn.of(5)));
        assertThat(joined.size()).isEqualTo(5);
        assertThat(values(joined)).containsExactly(1.0, 2.0, 3.0, null, 5.0);
        assertThat(values(Columns.concat(List.of(StringColumn.of("a", null), StringColumn.of("c"))))).containsExactly("a", null, "c");
    }

    @Test
    void joinsArrayColumnsWhoseOffsetsDoNotStartAtZero()
    {
        // a region of a larger column: its first row starts at element 1
        ArrayColumn region = new ArrayColumn(new int[] {1, 3, 4}, DoubleColumn.of(9, 1, 2, 3), null);
        ArrayColumn other = new ArrayColumn(new int[] {0, 0, 2}, DoubleColumn.of(4, 5), new boolean[] {true, false});
        Column joined = Columns.concat(List.of(region, other));
        assertThat(values(joined)).containsExactly(List.of(1.0, 2.0), List.of(3.0), null, List.of(4.0, 5.0));
    }

    @Test
    void refusesColumnsOfDifferentTypes()
    {
        assertThatThrownBy(() -> Columns.concat(List.of(DoubleColumn.of(1), StringColumn.of("a"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Object> values(Column column)
    {
        Object[] values = new Object[column.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = column.value(row);
        }
        return Arrays.asList(values);
    }
}
