package io.onyxml.spark.execution;

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
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

import java.util.Arrays;

/**
 * Columns of the core filled from one field of Spark's internal rows, a row at a time: the feature values a batching
 * operator collects before one call of the model. The field holds the Spark type that maps to the column type (see
 * {@code SparkTypes}); arrays hold doubles.
 */
public final class FeatureColumns
{
    private FeatureColumns() {}

    public interface Builder
    {
        void add(InternalRow row, int ordinal);

        Column build();
    }

    public static Builder builder(ColumnType type, int capacity)
    {
        if (type instanceof ColumnType.ArrayType) {
            return new DoubleArrays(capacity);
        }
        return switch ((ScalarType) type) {
            case DOUBLE -> new Doubles(capacity);
            case FLOAT -> new Floats(capacity);
            case BIGINT -> new Longs(capacity);
            case INTEGER -> new Ints(capacity);
            case BOOLEAN -> new Booleans(capacity);
            case VARCHAR -> new Strings(capacity);
        };
    }

    private abstract static class Masked
            implements Builder
    {
        boolean[] nulls;
        int size;

        Masked(int capacity)
        {
            nulls = new boolean[capacity];
        }

        @Override
        public final void add(InternalRow row, int ordinal)
        {
            if (row.isNullAt(ordinal)) {
                nulls[size] = true;
                setNull();
            }
            else {
                set(row, ordinal);
            }
            size++;
        }

        abstract void set(InternalRow row, int ordinal);

        void setNull() {}

        boolean[] nulls()
        {
            return Arrays.copyOf(nulls, size);
        }
    }

    private static final class Doubles
            extends Masked
    {
        private final double[] values;

        Doubles(int capacity)
        {
            super(capacity);
            values = new double[capacity];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            values[size] = row.getDouble(ordinal);
        }

        @Override
        public Column build()
        {
            return new DoubleColumn(Arrays.copyOf(values, size), nulls());
        }
    }

    private static final class Floats
            extends Masked
    {
        private final float[] values;

        Floats(int capacity)
        {
            super(capacity);
            values = new float[capacity];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            values[size] = row.getFloat(ordinal);
        }

        @Override
        public Column build()
        {
            return new FloatColumn(Arrays.copyOf(values, size), nulls());
        }
    }

    private static final class Longs
            extends Masked
    {
        private final long[] values;

        Longs(int capacity)
        {
            super(capacity);
            values = new long[capacity];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            values[size] = row.getLong(ordinal);
        }

        @Override
        public Column build()
        {
            return new LongColumn(Arrays.copyOf(values, size), nulls());
        }
    }

    private static final class Ints
            extends Masked
    {
        private final int[] values;

        Ints(int capacity)
        {
            super(capacity);
            values = new int[capacity];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            values[size] = row.getInt(ordinal);
        }

        @Override
        public Column build()
        {
            return new IntColumn(Arrays.copyOf(values, size), nulls());
        }
    }

    private static final class Booleans
            extends Masked
    {
        private final boolean[] values;

        Booleans(int capacity)
        {
            super(capacity);
            values = new boolean[capacity];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            values[size] = row.getBoolean(ordinal);
        }

        @Override
        public Column build()
        {
            return new BooleanColumn(Arrays.copyOf(values, size), nulls());
        }
    }

    private static final class Strings
            implements Builder
    {
        private final String[] values;
        private int size;

        Strings(int capacity)
        {
            values = new String[capacity];
        }

        @Override
        public void add(InternalRow row, int ordinal)
        {
            values[size++] = row.isNullAt(ordinal) ? null : row.getUTF8String(ordinal).toString();
        }

        @Override
        public Column build()
        {
            return new StringColumn(Arrays.copyOf(values, size));
        }
    }

    /**
     * Arrays of doubles, their elements laid out one after the other; a NULL element stays NULL.
     */
    private static final class DoubleArrays
            extends Masked
    {
        private final int[] offsets;
        private double[] elements = new double[64];
        private boolean[] elementNulls = new boolean[64];

        DoubleArrays(int capacity)
        {
            super(capacity);
            offsets = new int[capacity + 1];
        }

        @Override
        void set(InternalRow row, int ordinal)
        {
            ArrayData array = row.getArray(ordinal);
            int start = offsets[size];
            int length = array.numElements();
            if (start + length > elements.length) {
                int grown = Math.max(elements.length * 2, start + length);
                elements = Arrays.copyOf(elements, grown);
                elementNulls = Arrays.copyOf(elementNulls, grown);
            }
            for (int i = 0; i < length; i++) {
                if (array.isNullAt(i)) {
                    elementNulls[start + i] = true;
                }
                else {
                    elements[start + i] = array.getDouble(i);
                }
            }
            offsets[size + 1] = start + length;
        }

        @Override
        void setNull()
        {
            offsets[size + 1] = offsets[size];
        }

        @Override
        public Column build()
        {
            int total = offsets[size];
            return new ArrayColumn(Arrays.copyOf(offsets, size + 1), new DoubleColumn(Arrays.copyOf(elements, total), Arrays.copyOf(elementNulls, total)), nulls());
        }
    }
}
