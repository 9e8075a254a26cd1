package io.onyxml.inference;

import static java.util.Objects.requireNonNull;

/**
 * A model version that is loaded: where it runs and what its file's session counts against the budget (versions that
 * share a file share one session, counted once).
 */
public record LoadedModelInfo(String name, int version, String sha256, ExecutionDevice device, long estimatedBytes, EvaluatorChoice evaluators)
{
    public LoadedModelInfo
    {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(device, "device is null");
        requireNonNull(evaluators, "evaluators is null");
    }
}
