package io.onyxml.store.blob;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * An object in a {@link BlobStore}: its key relative to the store root, size and time of last change.
 */
public record BlobEntry(String key, long size, Instant lastModified)
{
    public BlobEntry
    {
        requireNonNull(key, "key is null");
        requireNonNull(lastModified, "lastModified is null");
    }

    /**
     * The part of the key after the last {@code /}.
     */
    public String fileName()
    {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
