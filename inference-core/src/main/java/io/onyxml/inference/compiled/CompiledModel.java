package io.onyxml.inference.compiled;

import ai.onnx.proto.OnnxMl;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.protobuf.CodedInputStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * An ONNX model evaluated by the JVM, one row at a time, with no ONNX Runtime call and no allocation per row: the
 * graph compiled into {@link Step}s over a {@link Frame}. Immutable and thread-safe; each thread evaluates in a frame
 * of its own ({@link #newFrame()}).
 */
public final class CompiledModel
{
    private final List<Value> inputs;
    private final List<Output> outputs;
    private final Step[] steps;
    private final List<Preset> presets;
    private final int numberSlots;
    private final int textSlots;
    private final int scratchFloats;
    private final Set<String> operatorTypes;

    CompiledModel(List<Value> inputs, List<Output> outputs, List<Step> steps, List<Preset> presets, int numberSlots, int textSlots, int scratchFloats, Set<String> operatorTypes)
    {
        this.operatorTypes = ImmutableSet.copyOf(operatorTypes);
        this.scratchFloats = scratchFloats;
        this.presets = ImmutableList.copyOf(presets);
        this.inputs = ImmutableList.copyOf(inputs);
        this.outputs = ImmutableList.copyOf(outputs);
        this.steps = steps.toArray(Step[]::new);
        this.numberSlots = numberSlots;
        this.textSlots = textSlots;
    }

    /**
     * Compiles the main graph of an ONNX file that the model store accepted.
     *
     * @throws UnsupportedGraphException naming what the compiler does not handle
     */
    public static CompiledModel compile(ByteBuffer onnxFile)
    {
        OnnxMl.ModelProto model;
        try {
            model = OnnxMl.ModelProto.parseFrom(CodedInputStream.newInstance(onnxFile.duplicate()));
        }
        catch (IOException e) {
            throw new UnsupportedGraphException("the file does not parse: " + e.getMessage());
        }
        return compile(model);
    }

    public static CompiledModel compile(OnnxMl.ModelProto model)
    {
        return GraphCompiler.compile(model);
    }

    /**
     * The graph inputs (initializers excluded), in the graph's order.
     */
    public List<Value> inputs()
    {
        return inputs;
    }

    /**
     * The graph outputs, in the graph's order.
     */
    public List<Output> outputs()
    {
        return outputs;
    }

    public Optional<Output> output(String name)
    {
        return outputs.stream().filter(output -> output.name().equals(name)).findFirst();
    }

    public long multiplyAdds()
    {
        long total = 0;
        for (Step step : steps) {
            total += step.multiplyAdds();
        }
        return total;
    }

    /**
     * Whether the graph holds a tree ensemble, which ONNX Runtime evaluates more slowly than the compiled walk even in
     * batches.
     */
    public boolean hasTreeEnsemble()
    {
        return operatorTypes.contains("TreeEnsembleRegressor") || operatorTypes.contains("TreeEnsembleClassifier");
    }

    public int stepCount()
    {
        return steps.length;
    }

    public Frame newFrame()
    {
        Frame frame = new Frame(numberSlots, textSlots, scratchFloats);
        for (Preset preset : presets) {
            Value value = preset.value();
            if (value.isText()) {
                System.arraycopy(preset.constant().texts(), 0, frame.texts, value.offset(), value.size());
            }
            else {
                System.arraycopy(preset.constant().numbers(), 0, frame.numbers, value.offset(), value.size());
            }
        }
        return frame;
    }

    /**
     * Computes every output from the inputs already written into the frame.
     */
    public void evaluate(Frame frame)
    {
        for (Step step : steps) {
            step.run(frame);
        }
    }

    /**
     * A graph output: its values in the frame, and for a sequence of maps (ZipMap) the keys of every row's map.
     */
    public record Output(String name, Value value, Optional<List<Object>> mapKeys)
    {
        public Output
        {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
            requireNonNull(mapKeys, "mapKeys is null");
        }
    }

    /**
     * A constant that every frame holds from the start.
     */
    record Preset(Value value, Constant constant)
    {
        public Preset
        {
            requireNonNull(value, "value is null");
            requireNonNull(constant, "constant is null");
        }
    }
}
