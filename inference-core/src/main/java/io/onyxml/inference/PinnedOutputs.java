package io.onyxml.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.onyxml.inference.binding.OutputBinding;
import io.onyxml.store.ElementType;
import io.onyxml.store.ValueSpec;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Output tensors that ONNX Runtime writes into buffers the calling thread reuses from call to call ("pinned" outputs),
 * for float outputs whose every axis but the batch the model declares: ONNX Runtime allocates nothing for them per
 * call, and a GPU copies its results into the same host memory each time.
 */
final class PinnedOutputs
{
    // a pinned output of one batch takes at most this many values; larger ones are left to ONNX Runtime
    private static final long MAX_VALUES = 1 << 26;

    private PinnedOutputs() {}

    static boolean isPinnable(OutputBinding binding, int rows)
    {
        ValueSpec output = binding.output();
        return output.isTensor()
                && output.elementType() == ElementType.FLOAT
                && output.shape().isPresent()
                && !output.shape().get().isEmpty()
                // divided, not multiplied: a declared width of 2^62 times 4 rows wraps around to 0
                && output.valuesPerRow().filter(values -> values > 0 && values <= MAX_VALUES / Math.max(rows, 1)).isPresent();
    }

    /**
     * A tensor of the declared shape with {@code rows} rows over the thread's buffer for this output.
     */
    static OnnxTensor create(OrtEnvironment environment, OutputBinding binding, int rows, ScratchBuffers scratch, int slot)
            throws OrtException
    {
        List<Long> declared = binding.output().shape().orElseThrow();
        long[] shape = new long[declared.size()];
        shape[0] = rows;
        for (int axis = 1; axis < shape.length; axis++) {
            shape[axis] = declared.get(axis);
        }
        int values = (int) (rows * binding.output().valuesPerRow().orElseThrow());
        FloatBuffer buffer = scratch.bytes(slot, values * Float.BYTES).asFloatBuffer();
        return OnnxTensor.createTensor(environment, buffer, shape);
    }
}
