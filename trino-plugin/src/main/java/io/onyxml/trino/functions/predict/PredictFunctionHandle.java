package io.onyxml.trino.functions.predict;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.BindingMode;
import io.onyxml.store.PinnedModel;
import io.trino.spi.function.table.ConnectorTableFunctionHandle;
import io.trino.spi.type.TypeId;

import java.util.List;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * What the coordinator decided for one call of the predict table function, sent to the workers: the exact model
 * version, and the input columns the model reads (their channels in the input pages, names and types).
 */
public record PredictFunctionHandle(PinnedModel model, List<Integer> channels, List<String> columnNames, List<TypeId> columnTypes, BindingMode bindingMode)
        implements ConnectorTableFunctionHandle
{
    public PredictFunctionHandle
    {
        requireNonNull(model, "model is null");
        channels = ImmutableList.copyOf(requireNonNull(channels, "channels is null"));
        columnNames = ImmutableList.copyOf(requireNonNull(columnNames, "columnNames is null"));
        columnTypes = ImmutableList.copyOf(requireNonNull(columnTypes, "columnTypes is null"));
        checkArgument(channels.size() == columnNames.size() && columnNames.size() == columnTypes.size(), "channels, columnNames and columnTypes differ in size");
        requireNonNull(bindingMode, "bindingMode is null");
    }
}
