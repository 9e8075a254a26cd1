package io.onyxml.store;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A file in the store that no existing version needs, left by a registration or deletion that did not finish.
 *
 * @param model the model folder it lies in, or empty for files outside every model
 * @param key the key relative to the store's root
 * @param reason why no version needs it
 */
public record OrphanFile(String model, String key, long sizeBytes, Instant lastModified, String reason)
{
    public OrphanFile
    {
        requireNonNull(model, "model is null");
        requireNonNull(key, "key is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(reason, "reason is null");
    }
}
