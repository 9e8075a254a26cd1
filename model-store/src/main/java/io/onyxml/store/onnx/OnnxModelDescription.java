package io.onyxml.store.onnx;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSetMultimap;
import com.google.common.collect.SetMultimap;
import io.onyxml.store.ModelSignature;
import io.onyxml.store.ModelTask;
import io.onyxml.store.OnnxInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What {@link OnnxModelInspector} reads from an ONNX file without running it.
 *
 * @param task the task implied by the operators (a classifier or regressor of {@code ai.onnx.ml}), if any
 * @param classLabels the class labels declared by a classifier or ZipMap operator, in output order
 * @param metadata the model's metadata properties
 * @param operators the operator types the graphs use (subgraphs and local functions included), by domain
 * ({@code ai.onnx} for the default domain)
 */
public record OnnxModelDescription(
        OnnxInfo onnx,
        ModelSignature signature,
        Optional<ModelTask> task,
        List<String> classLabels,
        Map<String, String> metadata,
        SetMultimap<String, String> operators)
{
    public OnnxModelDescription
    {
        requireNonNull(onnx, "onnx is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(task, "task is null");
        classLabels = ImmutableList.copyOf(requireNonNull(classLabels, "classLabels is null"));
        metadata = ImmutableMap.copyOf(requireNonNull(metadata, "metadata is null"));
        operators = ImmutableSetMultimap.copyOf(requireNonNull(operators, "operators is null"));
    }
}
