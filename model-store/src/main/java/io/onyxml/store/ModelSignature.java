package io.onyxml.store;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The inputs and outputs of a model, in the order the ONNX graph declares them.
 */
public record ModelSignature(List<ValueSpec> inputs, List<ValueSpec> outputs)
{
    public ModelSignature
    {
        inputs = ImmutableList.copyOf(requireNonNull(inputs, "inputs is null"));
        outputs = ImmutableList.copyOf(requireNonNull(outputs, "outputs is null"));
    }

    public Optional<ValueSpec> input(String name)
    {
        return inputs.stream().filter(input -> input.name().equals(name)).findFirst();
    }

    public Optional<ValueSpec> output(String name)
    {
        return outputs.stream().filter(output -> output.name().equals(name)).findFirst();
    }

    @Override
    public String toString()
    {
        return "(" + ValueSpec.describe(inputs) + ") -> (" + ValueSpec.describe(outputs) + ")";
    }
}
