package io.onyxml.spark;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnType;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.batch.StringColumn;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.util.List;

/**
 * One column of the core from one field of a batch of Spark rows (NULLs in the mask).
 */
final class RowColumns
{
    private RowColumns() {}

    static Column column(List<Row> rows, int field, ColumnType type)
    {
        int size = rows.size();
        if (type instanceof ColumnType.ArrayType array) {
            int[] offsets = new int[size + 1];
            boolean[] nulls = new boolean[size];
            int total = 0;
            for (int row = 0; row < size; row++) {
                if (rows.get(row).isNullAt(field)) {
                    nulls[row] = true;
                }
                else {
                    total += rows.get(row).getList(field).size();
                }
                offsets[row + 1] = total;
            }
            double[] values = new double[total];
            boolean[] elementNulls = new boolean[total];
            int at = 0;
            for (int row = 0; row < size; row++) {
                if (!nulls[row]) {
                    for (Object element : rows.get(row).getList(field)) {
                        elementNulls[at] = element == null;
                        values[at++] = element == null ? 0 : number(element);
                    }
                }
            }
            return new ArrayColumn(offsets, new DoubleColumn(values, elementNulls), nulls);
        }
        boolean[] nulls = new boolean[size];
        for (int row = 0; row < size; row++) {
            nulls[row] = rows.get(row).isNullAt(field);
        }
        switch ((ScalarType) type) {
            case DOUBLE -> {
                double[] values = new double[size];
                for (int row = 0; row < size; row++) {
                    values[row] = nulls[row] ? 0 : number(rows.get(row).get(field));
                }
                return new DoubleColumn(values, nulls);
            }
            case FLOAT -> {
                float[] values = new float[size];
                for (int row = 0; row < size; row++) {
                    values[row] = nulls[row] ? 0 : rows.get(row).getFloat(field);
                }
                return new FloatColumn(values, nulls);
            }
            case BIGINT -> {
                long[] values = new long[size];
                for (int row = 0; row < size; row++) {
                    values[row] = nulls[row] ? 0 : rows.get(row).getLong(field);
                }
                return new LongColumn(values, nulls);
            }
            case INTEGER -> {
                int[] values = new int[size];
                for (int row = 0; row < size; row++) {
                    values[row] = nulls[row] ? 0 : ((Number) rows.get(row).get(field)).intValue();
                }
                return new IntColumn(values, nulls);
            }
            case BOOLEAN -> {
                boolean[] values = new boolean[size];
                for (int row = 0; row < size; row++) {
                    values[row] = !nulls[row] && rows.get(row).getBoolean(field);
                }
                return new BooleanColumn(values, nulls);
            }
            case VARCHAR -> {
                String[] values = new String[size];
                for (int row = 0; row < size; row++) {
                    values[row] = nulls[row] ? null : rows.get(row).getString(field);
                }
                return new StringColumn(values);
            }
        }
        throw new AssertionError(type);
    }

    private static double number(Object value)
    {
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        return ((Number) value).doubleValue();
    }
}
