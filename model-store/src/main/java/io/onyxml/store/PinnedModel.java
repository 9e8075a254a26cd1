package io.onyxml.store;

import java.io.Serializable;

import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * A model version as one query pinned it where the query was planned: its name, number and checksum. Where the
 * query runs, the version is looked up by name and number and its checksum compared, so every node scores the bytes
 * the planner resolved (a version's file never changes; a mismatch means the store was tampered with or damaged).
 */
public record PinnedModel(String name, int version, String sha256)
        implements Serializable
{
    public PinnedModel
    {
        requireNonNull(name, "name is null");
        requireNonNull(sha256, "sha256 is null");
    }

    public static PinnedModel of(ModelManifest manifest)
    {
        return new PinnedModel(manifest.name(), manifest.version(), manifest.sha256());
    }

    public ModelReference reference()
    {
        return ModelReference.version(name, version);
    }

    /**
     * The manifest found where the query runs, if it is the pinned version.
     *
     * @throws OnyxException {@code STORE_ERROR} when the version's checksum differs from the pinned one
     */
    public ModelManifest verify(ModelManifest found)
    {
        if (!found.name().equals(name) || found.version() != version || !found.sha256().equals(sha256)) {
            throw new OnyxException(OnyxErrorCode.STORE_ERROR, format(
                    "Model %s/%s changed in the store while the query ran (sha256 %s, planned with %s)",
                    name,
                    version,
                    found.sha256(),
                    sha256));
        }
        return found;
    }
}
