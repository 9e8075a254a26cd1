package io.onyxml.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct buffers reused from call to call by one thread, one per model input, grown as needed. ONNX Runtime reads
 * input tensors straight from direct memory, so this saves an allocation and a copy per call.
 */
final class ScratchBuffers
{
    private ByteBuffer[] buffers = new ByteBuffer[0];

    /**
     * A buffer of exactly {@code size} bytes (position 0, limit {@code size}) in native byte order. Its contents are
     * overwritten by the next call for the same slot.
     */
    ByteBuffer bytes(int slot, int size)
    {
        if (slot >= buffers.length) {
            ByteBuffer[] grown = new ByteBuffer[slot + 1];
            System.arraycopy(buffers, 0, grown, 0, buffers.length);
            buffers = grown;
        }
        ByteBuffer buffer = buffers[slot];
        if (buffer == null || buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect(Math.max(size, buffer == null ? 0 : buffer.capacity() * 2)).order(ByteOrder.nativeOrder());
            buffers[slot] = buffer;
        }
        buffer.clear();
        buffer.limit(size);
        return buffer.slice().order(ByteOrder.nativeOrder());
    }
}
