package io.onyxml.inference;

import io.onyxml.inference.batch.ScalarType;
import io.onyxml.inference.binding.InputBinding;
import io.onyxml.inference.compiled.CompiledModel;
import io.onyxml.inference.compiled.Frame;
import io.onyxml.inference.compiled.Value;
import io.onyxml.store.ElementType;
import io.onyxml.store.ModelManifest;

import java.util.List;
import java.util.Optional;

/**
 * The per-row fast path of a scalar call whose features are all double arguments feeding float or double inputs and
 * whose result is one number: a compiled model evaluated in the thread's frame, with no batch, no boxing of the
 * features and no allocation. Values are converted as for a batch: to float by rounding to the nearest float (a
 * finite double beyond the float range is an error naming the feature), a NULL to NaN for models that handle missing
 * values, otherwise the result is NULL.
 */
public final class RowScorer
{
    private final ModelManifest manifest;
    private final CompiledModel model;
    private final ThreadLocal<Frame> frames;
    // per argument: where in the frame it goes, whether it is rounded to float, and its binding for messages
    private final int[] targets;
    private final boolean[] toFloat;
    private final InputBinding[] bindings;
    private final int[] positions;
    private final boolean nullAsNaN;
    private final int result;

    private RowScorer(ModelManifest manifest, CompiledModel model, int[] targets, boolean[] toFloat, InputBinding[] bindings, int[] positions, int result)
    {
        this.manifest = manifest;
        this.model = model;
        this.frames = ThreadLocal.withInitial(model::newFrame);
        this.targets = targets;
        this.toFloat = toFloat;
        this.bindings = bindings;
        this.positions = positions;
        this.nullAsNaN = manifest.handlesMissingValues();
        this.result = result;
    }

    /**
     * A scorer for a scalar call, when the call and the compiled model allow one.
     */
    static Optional<RowScorer> of(PredictionPlan plan, ResultColumn column, CompiledModel model)
    {
        if (column.conversion() != ResultConversion.TO_DOUBLE || plan.inputColumns().stream().anyMatch(input -> input.type() != ScalarType.DOUBLE)) {
            return Optional.empty();
        }
        int arguments = plan.inputColumns().size();
        int[] targets = new int[arguments];
        boolean[] toFloat = new boolean[arguments];
        InputBinding[] bindings = new InputBinding[arguments];
        int[] positions = new int[arguments];
        for (InputBinding binding : plan.inputs()) {
            if (binding instanceof InputBinding.ArrayInput) {
                return Optional.empty();
            }
            ElementType type = binding.input().elementType();
            if (type != ElementType.FLOAT && type != ElementType.DOUBLE) {
                return Optional.empty();
            }
            Optional<Value> input = model.inputs().stream().filter(value -> value.name().equals(binding.input().name())).findFirst();
            List<Integer> columns = binding.columns();
            if (input.isEmpty() || input.get().size() != columns.size()) {
                return Optional.empty();
            }
            for (int position = 0; position < columns.size(); position++) {
                int argument = columns.get(position);
                targets[argument] = input.get().offset() + position;
                toFloat[argument] = type == ElementType.FLOAT;
                bindings[argument] = binding;
                positions[argument] = position;
            }
        }
        String outputName = plan.outputs().get(column.output()).output().name();
        Optional<CompiledModel.Output> output = model.output(outputName);
        if (output.isEmpty() || output.get().value().size() != 1 || output.get().value().isText() || output.get().mapKeys().isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new RowScorer(plan.manifest(), model, targets, toFloat, bindings, positions, output.get().value().offset()));
    }

    /**
     * The call's value for one row, or null (SQL NULL) when a feature is NULL and the model does not take missing
     * values.
     *
     * @param nulls which arguments are NULL (their values are ignored)
     */
    public Double score(double[] values, boolean[] nulls)
    {
        Frame frame = frames.get();
        double[] numbers = frame.numbers();
        for (int i = 0; i < targets.length; i++) {
            double value = values[i];
            if (nulls[i]) {
                if (!nullAsNaN) {
                    return null;
                }
                value = Double.NaN;
            }
            else if (toFloat[i]) {
                value = toFloat(i, value);
            }
            numbers[targets[i]] = value;
        }
        model.evaluate(frame);
        return numbers[result];
    }

    private double toFloat(int argument, double value)
    {
        if (FloatRange.isOutOfRange(value)) {
            throw FloatRange.outOfRange(manifest, bindings[argument], positions[argument], value);
        }
        return (float) value;
    }
}
