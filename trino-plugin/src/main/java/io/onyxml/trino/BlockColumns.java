package io.onyxml.trino;

import io.airlift.slice.Slice;
import io.onyxml.inference.batch.ArrayColumn;
import io.onyxml.inference.batch.BooleanColumn;
import io.onyxml.inference.batch.Column;
import io.onyxml.inference.batch.DoubleColumn;
import io.onyxml.inference.batch.FloatColumn;
import io.onyxml.inference.batch.IntColumn;
import io.onyxml.inference.batch.LongColumn;
import io.onyxml.inference.batch.MapColumn;
import io.onyxml.inference.batch.StringColumn;
import io.trino.spi.block.ArrayBlockBuilder;
import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.block.ColumnarArray;
import io.trino.spi.block.LongArrayBlock;
import io.trino.spi.block.MapBlockBuilder;
import io.trino.spi.block.MapValueBuilder;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.BooleanType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Decimals;
import io.trino.spi.type.DoubleType;
import io.trino.spi.type.IntegerType;
import io.trino.spi.type.MapType;
import io.trino.spi.type.RealType;
import io.trino.spi.type.SmallintType;
import io.trino.spi.type.TinyintType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarcharType;

import static io.airlift.slice.Slices.utf8Slice;
import static io.onyxml.trino.spi.Blocks.longArrayBlock;
import static io.trino.spi.type.TypeUtils.writeNativeValue;
import static java.lang.Float.floatToRawIntBits;

/**
 * Copies Trino blocks into the core's columns and back, following {@link TypeMapping}.
 */
public final class BlockColumns
{
    private BlockColumns() {}

    public static Column toColumn(Type type, Block block)
    {
        int size = block.getPositionCount();
        boolean[] nulls = nulls(block);
        if (type instanceof ArrayType arrayType) {
            ColumnarArray array = ColumnarArray.toColumnarArray(block);
            int base = size == 0 ? 0 : array.getOffset(0);
            int[] offsets = new int[size + 1];
            for (int row = 0; row < size; row++) {
                offsets[row + 1] = array.getOffset(row) - base + array.getLength(row);
            }
            Block elements = array.getElementsBlock().getRegion(base, offsets[size]);
            return new ArrayColumn(offsets, toColumn(arrayType.getElementType(), elements), nulls);
        }
        if (type instanceof DoubleType) {
            double[] values = new double[size];
            if (block instanceof LongArrayBlock longs) {
                // the common case, without a type dispatch per value
                for (int row = 0; row < size; row++) {
                    values[row] = Double.longBitsToDouble(longs.getLong(row));
                }
                return new DoubleColumn(values, nulls);
            }
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = DoubleType.DOUBLE.getDouble(block, row);
                }
            }
            return new DoubleColumn(values, nulls);
        }
        if (type instanceof DecimalType decimal) {
            double[] values = new double[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = decimalToDouble(decimal, block, row);
                }
            }
            return new DoubleColumn(values, nulls);
        }
        if (type instanceof RealType) {
            float[] values = new float[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = RealType.REAL.getFloat(block, row);
                }
            }
            return new FloatColumn(values, nulls);
        }
        if (type instanceof BigintType) {
            long[] values = new long[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = BigintType.BIGINT.getLong(block, row);
                }
            }
            return new LongColumn(values, nulls);
        }
        if (type instanceof IntegerType || type instanceof SmallintType || type instanceof TinyintType) {
            int[] values = new int[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = smallInteger(type, block, row);
                }
            }
            return new IntColumn(values, nulls);
        }
        if (type instanceof BooleanType) {
            boolean[] values = new boolean[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = BooleanType.BOOLEAN.getBoolean(block, row);
                }
            }
            return new BooleanColumn(values, nulls);
        }
        if (type instanceof VarcharType) {
            String[] values = new String[size];
            for (int row = 0; row < size; row++) {
                if (nulls == null || !nulls[row]) {
                    values[row] = type.getSlice(block, row).toStringUtf8();
                }
            }
            return new StringColumn(values);
        }
        throw new IllegalArgumentException("no column for type " + type);
    }

    /**
     * A column of one row holding a value in Trino's native Java form ({@code Double}, {@code Long}, {@code Boolean},
     * {@code Slice}, a {@code Block} for an array), or null.
     */
    public static Column singleValue(Type type, Object value)
    {
        BlockBuilder builder = type.createBlockBuilder(null, 1);
        if (value == null) {
            builder.appendNull();
        }
        else {
            writeNativeValue(type, builder, value);
        }
        return toColumn(type, builder.build());
    }

    public static Block toBlock(Type type, Column column)
    {
        int size = column.size();
        if (column instanceof DoubleColumn doubles && type instanceof DoubleType) {
            long[] bits = new long[size];
            double[] values = doubles.values();
            for (int row = 0; row < size; row++) {
                bits[row] = Double.doubleToLongBits(values[row]);
            }
            return longArrayBlock(size, doubles.nulls(), bits);
        }
        BlockBuilder builder = type.createBlockBuilder(null, size);
        for (int row = 0; row < size; row++) {
            write(type, builder, column, row);
        }
        return builder.build();
    }

    /**
     * The value of one row in Trino's native Java form, for a scalar function's result.
     */
    public static Object nativeValue(Type type, Column column, int row)
    {
        if (column.isNull(row)) {
            return null;
        }
        if (type instanceof MapType mapType) {
            MapColumn map = (MapColumn) column;
            int start = map.offsets()[row];
            int end = map.offsets()[row + 1];
            return MapValueBuilder.buildMapValue(mapType, end - start, (keys, values) -> {
                for (int index = start; index < end; index++) {
                    write(mapType.getKeyType(), keys, map.keys(), index);
                    write(mapType.getValueType(), values, map.values(), index);
                }
            });
        }
        if (type instanceof ArrayType arrayType) {
            ArrayColumn array = (ArrayColumn) column;
            BlockBuilder elements = arrayType.getElementType().createBlockBuilder(null, array.length(row));
            for (int index = array.offsets()[row]; index < array.offsets()[row + 1]; index++) {
                write(arrayType.getElementType(), elements, array.elements(), index);
            }
            return elements.build();
        }
        Object value = column.value(row);
        if (value instanceof String text) {
            return utf8Slice(text);
        }
        if (value instanceof Integer integer) {
            return integer.longValue();
        }
        if (value instanceof Float real) {
            return (long) floatToRawIntBits(real);
        }
        return value;
    }

    private static void write(Type type, BlockBuilder builder, Column column, int row)
    {
        if (column.isNull(row)) {
            builder.appendNull();
            return;
        }
        if (type instanceof ArrayType arrayType) {
            ArrayColumn array = (ArrayColumn) column;
            ((ArrayBlockBuilder) builder).buildEntry(elements -> {
                for (int index = array.offsets()[row]; index < array.offsets()[row + 1]; index++) {
                    write(arrayType.getElementType(), elements, array.elements(), index);
                }
            });
            return;
        }
        if (type instanceof MapType mapType) {
            MapColumn map = (MapColumn) column;
            ((MapBlockBuilder) builder).buildEntry((keys, values) -> {
                for (int index = map.offsets()[row]; index < map.offsets()[row + 1]; index++) {
                    write(mapType.getKeyType(), keys, map.keys(), index);
                    write(mapType.getValueType(), values, map.values(), index);
                }
            });
            return;
        }
        Object value = nativeValue(type, column, row);
        if (type.getJavaType() == long.class) {
            type.writeLong(builder, (Long) value);
        }
        else if (type.getJavaType() == double.class) {
            type.writeDouble(builder, (Double) value);
        }
        else if (type.getJavaType() == boolean.class) {
            type.writeBoolean(builder, (Boolean) value);
        }
        else {
            type.writeSlice(builder, (Slice) value);
        }
    }

    private static boolean[] nulls(Block block)
    {
        if (!block.mayHaveNull()) {
            return null;
        }
        boolean[] nulls = new boolean[block.getPositionCount()];
        boolean any = false;
        for (int row = 0; row < nulls.length; row++) {
            nulls[row] = block.isNull(row);
            any |= nulls[row];
        }
        return any ? nulls : null;
    }

    private static int smallInteger(Type type, Block block, int row)
    {
        if (type instanceof SmallintType) {
            return SmallintType.SMALLINT.getShort(block, row);
        }
        if (type instanceof TinyintType) {
            return TinyintType.TINYINT.getByte(block, row);
        }
        return (int) IntegerType.INTEGER.getLong(block, row);
    }

    /**
     * As {@code CAST(decimal AS double)}.
     */
    private static double decimalToDouble(DecimalType type, Block block, int row)
    {
        return Decimals.readBigDecimal(type, block, row).doubleValue();
    }
}
