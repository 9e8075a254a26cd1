package io.onyxml.store;

import com.google.common.collect.ImmutableMap;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Facts about an ONNX file that decide which runtimes can load it: the IR version and the operator set of each
 * domain ({@code ai.onnx}, {@code ai.onnx.ml}, ...), plus the producer the exporter wrote.
 */
public record OnnxInfo(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion)
{
    public OnnxInfo
    {
        opsets = ImmutableMap.copyOf(requireNonNull(opsets, "opsets is null"));
        requireNonNull(producerName, "producerName is null");
        requireNonNull(producerVersion, "producerVersion is null");
    }
}
