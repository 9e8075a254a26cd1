package io.onyxml.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model predicts; it decides how the engines present its outputs.
 */
public enum ModelTask
{
    REGRESSION,
    CLASSIFICATION,
    CLUSTERING,
    EMBEDDING,
    OTHER;

    public String displayName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ModelTask> fromDisplayName(String name)
    {
        return Arrays.stream(values())
                .filter(task -> task.displayName().equalsIgnoreCase(name))
                .findFirst();
    }
}
