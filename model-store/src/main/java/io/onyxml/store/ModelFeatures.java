package io.onyxml.store;

import com.google.common.collect.ImmutableList;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.UNSUPPORTED_MODEL;
import static java.lang.String.format;

/**
 * How the inputs of a model divide into features, the ordered slots that SQL columns fill.
 * <ul>
 * <li>An input of shape {@code [N]} or {@code [N, 1]} is one feature, named after the input
 * (one input per column, the scikit-learn-onnx style).</li>
 * <li>An input of shape {@code [N, F]} with a fixed F from 2 to {@value #MAX_PACKED_FEATURES} is F features, packed
 * into one tensor in feature order (the PyTorch style); they are named by the model's feature names, or
 * {@code <input name>_0 .. <input name>_<F-1>}.</li>
 * <li>Any other input (a wider or dynamic second axis, a higher rank, no declared shape) is one array-valued feature
 * named after the input; an array column fills it.</li>
 * </ul>
 * Feature names are unique regardless of case, because SQL binds columns to them case-insensitively. The work done
 * here is bounded by the number of inputs a file really holds, never by the sizes it declares: a model has at most
 * {@value #MAX_FEATURES} features.
 */
public final class ModelFeatures
{
    /**
     * The widest {@code [N, F]} input that is split into named scalar features; a wider one is one array feature.
     */
    public static final int MAX_PACKED_FEATURES = 1024;
    /**
     * The most features a model may have in all; a model with more is refused at registration.
     */
    public static final int MAX_FEATURES = 16_384;

    private ModelFeatures() {}

    /**
     * The number of features an input takes: F for an input of shape {@code [N, F]} that packs scalar features, else 1.
     */
    public static int featureCount(ValueSpec input)
    {
        return packedWidth(input).orElse(1);
    }

    /**
     * F for an input of shape {@code [N, F]} with a fixed F from 2 to {@value #MAX_PACKED_FEATURES}: the input packs F
     * scalar features.
     */
    public static Optional<Integer> packedWidth(ValueSpec input)
    {
        if (!input.isTensor() || input.shape().isEmpty() || input.shape().get().size() != 2) {
            return Optional.empty();
        }
        long width = input.shape().get().get(1);
        if (width <= 1 || width > MAX_PACKED_FEATURES) {
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

    /**
     * The number of features of all inputs, which may exceed {@value #MAX_FEATURES} for a file that was never
     * registered.
     */
    public static long totalFeatureCount(ModelSignature signature)
    {
        long total = 0;
        for (ValueSpec input : signature.inputs()) {
            total += featureCount(input);
        }
        return total;
    }

    /**
     * Refuses a model with more than {@value #MAX_FEATURES} features.
     */
    public static void checkFeatureCount(String modelName, ModelSignature signature)
    {
        long total = totalFeatureCount(signature);
        if (total > MAX_FEATURES) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model '%s' has %s features in %s inputs, more than the %s Onyx binds to columns; pack them into fewer inputs wider than %s values, which take one array each",
                    modelName,
                    total,
                    signature.inputs().size(),
                    MAX_FEATURES,
                    MAX_PACKED_FEATURES));
        }
    }

    /**
     * The feature names the store records when the caller gives none: input names, and for packed inputs the names
     * from the model's metadata when they fit, else {@code <input name>_<i>}.
     *
     * @throws OnyxException {@code UNSUPPORTED_MODEL} when those names are not unique regardless of case (inputs
     * {@code a} and {@code A}); the caller then has to name the features
     */
    public static List<String> defaultNames(String modelName, ModelSignature signature, Optional<List<String>> metadataNames)
    {
        checkFeatureCount(modelName, signature);
        long total = totalFeatureCount(signature);
        if (metadataNames.isPresent() && metadataNames.get().size() == total && isUnique(metadataNames.get()) && metadataNames.get().stream().allMatch(ModelFeatures::isValidName)) {
            return ImmutableList.copyOf(metadataNames.get());
        }
        List<String> names = inputNames(signature);
        if (!isUnique(names)) {
            throw new OnyxException(UNSUPPORTED_MODEL, format(
                    "Model '%s' cannot be bound to columns by name: its default feature names %s are not unique when case is ignored; give feature_names when registering it",
                    modelName,
                    duplicates(names)));
        }
        return names;
    }

    /**
     * The names a model's features get from its input names alone, which may clash for a model that was never
     * registered.
     */
    public static List<String> inputNames(ModelSignature signature)
    {
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
        checkFeatureCount(modelName, signature);
        long expected = totalFeatureCount(signature);
        if (names.size() != expected) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Model '%s' takes %s features (inputs: %s), but %s feature names were given",
                    modelName,
                    expected,
                    ValueSpec.describe(signature.inputs()),
                    names.size()));
        }
        for (String name : names) {
            if (!isValidName(name)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Feature names of model '%s' must not be empty or hold control characters or surrounding spaces: '%s'", modelName, ModelNames.printable(String.valueOf(name))));
            }
        }
        if (!isUnique(names)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Feature names of model '%s' must be unique, regardless of case: %s", modelName, duplicates(names)));
        }
        return ImmutableList.copyOf(names);
    }

    private static boolean isValidName(String name)
    {
        return name != null && !name.isBlank() && name.strip().equals(name) && name.chars().noneMatch(Character::isISOControl);
    }

    private static boolean isUnique(List<String> names)
    {
        Set<String> seen = new HashSet<>();
        return names.stream().allMatch(name -> seen.add(name.toLowerCase(Locale.ROOT)));
    }

    private static String duplicates(List<String> names)
    {
        Set<String> seen = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                clashing.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names.stream()
                .filter(name -> clashing.contains(name.toLowerCase(Locale.ROOT)))
                .limit(10)
                .toList()
                .toString();
    }
}
