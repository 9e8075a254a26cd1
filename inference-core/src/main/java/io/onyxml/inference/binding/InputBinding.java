package io.onyxml.inference.binding;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.batch.ScalarType;
import io.onyxml.store.ValueSpec;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How one model input is filled from the columns of a batch.
 */
public sealed interface InputBinding
{
    ValueSpec input();

    /**
     * The batch columns this input reads, by index.
     */
    List<Integer> columns();

    /**
     * The name of the feature at a position of {@link #columns()}, for messages.
     */
    String feature(int position);

    /**
     * One scalar column fills an input of shape {@code [N]} or {@code [N, 1]}.
     */
    record ScalarInput(ValueSpec input, String feature, int column, ScalarType columnType)
            implements InputBinding
    {
        public ScalarInput
        {
            requireNonNull(input, "input is null");
            requireNonNull(feature, "feature is null");
            requireNonNull(columnType, "columnType is null");
        }

        @Override
        public List<Integer> columns()
        {
            return ImmutableList.of(column);
        }

        @Override
        public String feature(int position)
        {
            return feature;
        }
    }

    /**
     * Several scalar columns, in feature order, fill an input of shape {@code [N, F]}.
     */
    record PackedInput(ValueSpec input, List<String> features, List<Integer> columns, List<ScalarType> columnTypes)
            implements InputBinding
    {
        public PackedInput
        {
            requireNonNull(input, "input is null");
            features = ImmutableList.copyOf(features);
            columns = ImmutableList.copyOf(columns);
            columnTypes = ImmutableList.copyOf(columnTypes);
        }

        @Override
        public String feature(int position)
        {
            return features.get(position);
        }
    }

    /**
     * An array column fills an input of shape {@code [N, K]} (or higher rank, row-major); every row must hold as many
     * elements as one row of the tensor.
     *
     * @param width the elements per row the model declares, or -1 when only the batch fixes it (all rows then need
     * the same length)
     */
    record ArrayInput(ValueSpec input, int column, ScalarType elementType, long width)
            implements InputBinding
    {
        public ArrayInput
        {
            requireNonNull(input, "input is null");
            requireNonNull(elementType, "elementType is null");
        }

        @Override
        public List<Integer> columns()
        {
            return ImmutableList.of(column);
        }

        @Override
        public String feature(int position)
        {
            return input.name();
        }
    }
}
