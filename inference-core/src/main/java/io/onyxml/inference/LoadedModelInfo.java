package io.onyxml.inference;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A model version that is loaded: where it runs and what its file's session counts against the budget (versions that
 * share a file share one session, counted once), when it was loaded, how often it was used and when last (of the
 * file: versions that share it share these).
 *
 * @param loads how often this node loaded the file since it started: 1 unless it was unloaded and loaded again
 * @param hits uses through the cache: one per batch, or one per query and node for rows scored one at a time
 */
public record LoadedModelInfo(String name, int version, String sha256, ExecutionDevice device, long estimatedBytes, EvaluatorChoice evaluators, Instant loadedAt, long loads, long hits, Instant lastUsed)
{
    public LoadedModelInfo
    {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
        requireNonNull(device, "device is null");
        requireNonNull(evaluators, "evaluators is null");
        requireNonNull(loadedAt, "loadedAt is null");
        requireNonNull(lastUsed, "lastUsed is null");
    }
}
