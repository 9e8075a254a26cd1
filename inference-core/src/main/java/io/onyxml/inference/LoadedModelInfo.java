package io.onyxml.inference;

import static java.util.Objects.requireNonNull;

/**
 * A model that is loaded: which version (the first one loaded, when several versions share a file), where it runs and
 * what it counts against the session budget.
 */
public record LoadedModelInfo(String name, int version, String sha256, ExecutionDevice device, long estimatedBytes)
{
    public LoadedModelInfo
    {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(device, "device is null");
    }
}
