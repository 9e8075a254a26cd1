package io.onyxml.inference;

import com.google.common.collect.ImmutableList;
import io.onyxml.inference.binding.InputBinder;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.inference.binding.OutputBinder;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.store.ModelManifest;

import java.util.List;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * Everything decided before scoring: which columns feed which inputs, and which columns come out. Built from the
 * manifest alone (no model is loaded), so engines can check a query and learn its result types at planning time.
 */
public record PredictionPlan(ModelManifest manifest, List<InputColumn> inputColumns, List<InputBinding> inputs, List<OutputBinding> outputs)
{
    public PredictionPlan
    {
        requireNonNull(manifest, "manifest is null");
        inputColumns = ImmutableList.copyOf(requireNonNull(inputColumns, "inputColumns is null"));
        inputs = ImmutableList.copyOf(requireNonNull(inputs, "inputs is null"));
        outputs = ImmutableList.copyOf(requireNonNull(outputs, "outputs is null"));
    }

    public static PredictionPlan create(ModelManifest manifest, List<InputColumn> columns, BindingMode mode)
    {
        return new PredictionPlan(manifest, columns, InputBinder.bind(manifest, columns, mode), OutputBinder.bind(manifest));
    }

    public List<OutputColumn> outputColumns()
    {
        return outputs.stream().map(OutputBinding::column).collect(toImmutableList());
    }
}
