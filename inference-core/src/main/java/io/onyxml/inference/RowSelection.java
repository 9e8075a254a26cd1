package io.onyxml.inference;

import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.ColumnBatch;
import io.onyxml.inference.binding.InputBinding;

import java.util.Optional;

/**
 * The rows of a batch that are scored: all of them, or those without a NULL feature. A row with a NULL feature (a
 * NULL value, a NULL array or a NULL array element) gets NULL outputs and is not sent to the model, unless the model
 * handles missing values and the feature feeds a float, double or string input: then the NULL is passed on as NaN or
 * the empty string ({@link MissingValues}).
 *
 * @param rows the scored rows in ascending order, or null when every row is scored
 */
record RowSelection(int[] rows, int count, int totalRows)
{
    static RowSelection select(PredictionPlan plan, ColumnBatch batch)
    {
        boolean nanForMissing = plan.manifest().handlesMissingValues();
        boolean[] nullRows = null;
        for (InputBinding binding : plan.inputs()) {
            boolean passed = nanForMissing && MissingValues.passedToModel(binding.input().elementType());
            for (int index : binding.columns()) {
                Column column = batch.column(index);
                if (column instanceof ArrayColumn array) {
                    nullRows = or(nullRows, array.nulls(), batch.rowCount());
                    if (!passed) {
                        nullRows = markNullElements(nullRows, array, batch.rowCount());
                    }
                }
                else if (!passed) {
                    nullRows = or(nullRows, column.nulls(), batch.rowCount());
                }
            }
        }
        if (nullRows == null) {
            return new RowSelection(null, batch.rowCount(), batch.rowCount());
        }
        int count = 0;
        for (boolean isNull : nullRows) {
            count += isNull ? 0 : 1;
        }
        int[] rows = new int[count];
        int next = 0;
        for (int row = 0; row < nullRows.length; row++) {
            if (!nullRows[row]) {
                rows[next++] = row;
            }
        }
        return new RowSelection(rows, count, batch.rowCount());
    }

    boolean isAll()
    {
        return rows == null;
    }

    int row(int index)
    {
        return rows == null ? index : rows[index];
    }

    private static boolean[] or(boolean[] target, Optional<boolean[]> nulls, int size)
    {
        if (nulls.isEmpty()) {
            return target;
        }
        boolean[] result = target == null ? new boolean[size] : target;
        boolean[] mask = nulls.get();
        for (int row = 0; row < size; row++) {
            result[row] |= mask[row];
        }
        return result;
    }

    private static boolean[] markNullElements(boolean[] target, ArrayColumn array, int size)
    {
        Optional<boolean[]> elementNulls = array.elements().nulls();
        if (elementNulls.isEmpty()) {
            return target;
        }
        boolean[] result = target == null ? new boolean[size] : target;
        boolean[] mask = elementNulls.get();
        int[] offsets = array.offsets();
        for (int row = 0; row < size; row++) {
            for (int index = offsets[row]; index < offsets[row + 1] && !result[row]; index++) {
                result[row] = mask[index];
            }
        }
        return result;
    }
}
