package io.onyxml.store;

import com.google.common.collect.ImmutableMap;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One row of the model catalog: a model with its newest version and its aliases.
 *
 * @param aliases alias name to version, including {@code latest}
 * @param createdAt when the oldest version that still exists was registered
 * @param updatedAt when the newest version was registered
 */
public record ModelSummary(
        String name,
        int latestVersion,
        int versionCount,
        Map<String, Integer> aliases,
        ModelTask task,
        Optional<String> description,
        Instant createdAt,
        Instant updatedAt)
{
    public ModelSummary
    {
        requireNonNull(name, "name is null");
        aliases = ImmutableMap.copyOf(requireNonNull(aliases, "aliases is null"));
        requireNonNull(task, "task is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }
}
