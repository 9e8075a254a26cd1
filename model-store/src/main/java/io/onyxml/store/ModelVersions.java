package io.onyxml.store;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.util.List;
import java.util.Map;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.util.Objects.requireNonNull;

/**
 * The existing versions of one model, oldest first, and its aliases.
 *
 * @param aliases alias name to version, including {@code latest}
 */
public record ModelVersions(String name, List<ModelManifest> versions, Map<String, Integer> aliases)
{
    public ModelVersions
    {
        requireNonNull(name, "name is null");
        versions = ImmutableList.copyOf(requireNonNull(versions, "versions is null"));
        aliases = ImmutableMap.copyOf(requireNonNull(aliases, "aliases is null"));
    }

    /**
     * The aliases that point at a version, {@code latest} included.
     */
    public List<String> aliasesOf(int version)
    {
        return aliases.entrySet().stream()
                .filter(alias -> alias.getValue() == version)
                .map(Map.Entry::getKey)
                .collect(toImmutableList());
    }
}
