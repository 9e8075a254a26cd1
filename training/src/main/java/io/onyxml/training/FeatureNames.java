package io.onyxml.training;

import com.google.common.collect.ImmutableSet;
import io.onyxml.store.OnyxException;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * The names feature columns may have: each becomes an input of the exported graph, so it must be non-empty, unique
 * regardless of case, and distinct from the graph's output names and its internal {@code onyx/} tensors.
 */
public final class FeatureNames
{
    private static final Set<String> OUTPUTS = ImmutableSet.of("prediction", "label", "probabilities", "cluster", "distances");

    private FeatureNames() {}

    public static void check(List<String> names)
    {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new OnyxException(INVALID_ARGUMENT, "A feature column has no name: name every column of the input query (SELECT x + 1 AS y)");
            }
            if (OUTPUTS.contains(lower) || lower.startsWith("onyx/")) {
                throw new OnyxException(INVALID_ARGUMENT, format(
                        "Column '%s' cannot be a feature: the trained model's outputs are named prediction, label, probabilities, cluster and distances, and onyx/ names its internal tensors; rename it in the input query",
                        name));
            }
            if (!seen.add(lower)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Two feature columns are named '%s' when case is ignored; rename one in the input query", name));
            }
        }
    }
}
