package io.onyxml.store;

import com.google.common.collect.ImmutableList;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * How the inputs of a model divide into features, the ordered slots that SQL columns fill.
 * <ul>
 * <li>An input of shape {@code [N]} or {@code [N, 1]} is one feature, named after the input
 * (one input per column, the scikit-learn-onnx style).</li>
 * <li>An input of shape {@code [N, F]} with a fixed F above 1 is F features, packed into one tensor in feature
 * order (the PyTorch style); they are named by the model's feature names, or {@code input_0 .. input_F-1}.</li>
 * <li>Any other input (a dynamic second axis, a higher rank, no declared shape) is one array-valued feature named
 * after the input; an array column fills it.</li>
 * </ul>
 */
public final class ModelFeatures
{
    private ModelFeatures() {}

    /**
     * The number of features an input takes: F for an input of shape {@code [N, F]}, else 1.
     */
    public static int featureCount(ValueSpec input)
    {
        return packedWidth(input).orElse(1);
    }

    /**
     * F for an input of shape {@code [N, F]} with a fixed F above 1: the input packs F scalar features.
     */
    public static Optional<Integer> packedWidth(ValueSpec input)
    {
        if (!input.isTensor() || input.shape().isEmpty() || input.shape().get().size() != 2) {
            return Optional.empty();
        }
        long width = input.shape().get().get(1);
        if (width <= 1 || width > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of((int) width);
    }

    /**
     * True for an input that takes one scalar per row: shape {@code [N]} or {@code [N, 1]}.
     */
    public static boolean isScalarPerRow(ValueSpec input)
    {
        if (!input.isTensor() || input.shape().isEmpty()) {
            return false;
        }
        List<Long> shape = input.shape().get();
        return shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1);
    }

    public static int totalFeatureCount(ModelSignature signature)
    {
        return signature.inputs().stream().mapToInt(ModelFeatures::featureCount).sum();
    }

    /**
     * The feature names the store records when the caller gives none: input names, and for packed inputs the names
     * from the model's metadata when they fit, else {@code input_i}.
     */
    public static List<String> defaultNames(ModelSignature signature, Optional<List<String>> metadataNames)
    {
        if (metadataNames.isPresent() && metadataNames.get().size() == totalFeatureCount(signature) && isUnique(metadataNames.get())) {
            return ImmutableList.copyOf(metadataNames.get());
        }
        ImmutableList.Builder<String> names = ImmutableList.builder();
        for (ValueSpec input : signature.inputs()) {
            Optional<Integer> width = packedWidth(input);
            if (width.isEmpty()) {
                names.add(input.name());
                continue;
            }
            for (int i = 0; i < width.get(); i++) {
                names.add(input.name() + "_" + i);
            }
        }
        return names.build();
    }

    public static List<String> checkNames(String modelName, ModelSignature signature, List<String> names)
    {
        int expected = totalFeatureCount(signature);
        if (names.size() != expected) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Model '%s' takes %s features (inputs: %s), but %s feature names were given",
                    modelName,
                    expected,
                    ValueSpec.describe(signature.inputs()),
                    names.size()));
        }
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new OnyxException(INVALID_ARGUMENT, format("Feature names of model '%s' must not be empty", modelName));
            }
        }
        if (!isUnique(names)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Feature names of model '%s' must be unique: %s", modelName, names));
        }
        return ImmutableList.copyOf(names);
    }

    private static boolean isUnique(List<String> names)
    {
        Set<String> seen = new HashSet<>();
        return names.stream().allMatch(seen::add);
    }
}
