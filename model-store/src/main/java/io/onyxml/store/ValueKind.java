package io.onyxml.store;

/**
 * The kind of value an ONNX graph input or output holds.
 */
public enum ValueKind
{
    TENSOR,
    /**
     * A sequence with one map per row, as written by the ZipMap operator of converted scikit-learn classifiers.
     */
    SEQUENCE_OF_MAPS,
    SEQUENCE_OF_TENSORS,
    MAP,
    OTHER,
}
