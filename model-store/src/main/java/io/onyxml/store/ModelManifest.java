package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Everything the store knows about one immutable model version. It is written once, next to the ONNX file,
 * when the version is registered.
 *
 * @param modelFile the key of the ONNX file, relative to the model's folder in the store
 * @param featureNames the ordered names of the features; engines bind SQL columns to them by position or by name
 * @param classLabels the labels of a classifier, in the order of its probability outputs, when known
 * @param handlesMissingValues true when the model was built to take NaN for a missing value; then NULL features
 * are passed to it as NaN instead of giving a NULL prediction
 * @param registeredBy the user of the engine that registered or trained this version (absent in manifests written
 * before Onyx recorded it)
 */
public record ModelManifest(
        String name,
        int version,
        Instant createdAt,
        String modelFile,
        String sha256,
        long sizeBytes,
        OnnxInfo onnx,
        ModelSignature signature,
        ModelTask task,
        List<String> classLabels,
        List<String> featureNames,
        Optional<String> description,
        boolean handlesMissingValues,
        Map<String, String> training,
        Map<String, Double> metrics,
        Optional<String> registeredBy)
{
    public ModelManifest
    {
        ModelNames.checkModelName(name);
        ModelNames.checkVersion(name, version);
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(modelFile, "modelFile is null");
        requireNonNull(sha256, "sha256 is null");
        checkArgument(sha256.matches("[0-9a-f]{64}"), "sha256 is not 64 lower-case hex digits: %s", sha256);
        checkArgument(sizeBytes >= 0, "sizeBytes is negative");
        requireNonNull(onnx, "onnx is null");
        requireNonNull(signature, "signature is null");
        requireNonNull(task, "task is null");
        classLabels = ImmutableList.copyOf(requireNonNull(classLabels, "classLabels is null"));
        featureNames = ImmutableList.copyOf(requireNonNull(featureNames, "featureNames is null"));
        requireNonNull(description, "description is null");
        training = ImmutableMap.copyOf(requireNonNull(training, "training is null"));
        metrics = ImmutableMap.copyOf(requireNonNull(metrics, "metrics is null"));
        requireNonNull(registeredBy, "registeredBy is null");
    }

    /**
     * The reference that names exactly this version, e.g. {@code churn/3}.
     */
    public ModelReference reference()
    {
        return ModelReference.version(name, version);
    }
}
