package io.onyxml.inference.compiled;

import io.onyxml.store.OnyxException;

import static io.onyxml.store.OnyxErrorCode.INFERENCE_FAILED;
import static java.lang.String.format;

/**
 * Picks values of a constant table by indices computed per row ({@code Gather} of class labels by arg max);
 * an index outside the table fails the call, as it does in ONNX Runtime.
 */
record LookupStep(int table, int tableSize, int indices, int output, int count, boolean text, String nodeName)
        implements Step
{
    @Override
    public void run(Frame frame)
    {
        double[] numbers = frame.numbers;
        for (int i = 0; i < count; i++) {
            long index = (long) numbers[indices + i];
            if (index < 0) {
                index += tableSize;
            }
            if (index < 0 || index >= tableSize) {
                throw new OnyxException(INFERENCE_FAILED, format("Gather node '%s' got index %s for a table of %s values", nodeName, (long) numbers[indices + i], tableSize));
            }
            if (text) {
                frame.texts[output + i] = frame.texts[table + (int) index];
            }
            else {
                numbers[output + i] = numbers[table + (int) index];
            }
        }
    }
}
