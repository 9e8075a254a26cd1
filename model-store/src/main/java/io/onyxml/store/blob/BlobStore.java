package io.onyxml.store.blob;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The few operations the model store needs from a storage back end. Keys are relative, {@code /}-separated paths
 * under the store's root. Every failure is an {@link io.onyxml.store.OnyxException} with a store error code
 * whose message names the key (and, for object stores, the bucket), never a path of the machine.
 * <p>
 * To add a back end (GCS, Azure Blob Storage) implement this interface; the only hard requirement is an atomic
 * {@link #createIfAbsent}.
 */
public interface BlobStore
        extends AutoCloseable
{
    /**
     * Reads a small object whole; empty when there is none.
     */
    Optional<byte[]> read(String key);

    /**
     * The size and time of an object, without reading it; empty when there is none.
     */
    Optional<BlobEntry> stat(String key);

    /**
     * Copies an object into a local file, replacing it; false when there is no such object.
     */
    boolean download(String key, Path target);

    /**
     * Copies at most the first {@code maxBytes} of an object into a local file, replacing it; false when there is no
     * such object. Stores that cannot read part of an object copy it whole.
     */
    default boolean download(String key, Path target, long maxBytes)
    {
        return download(key, target);
    }

    /**
     * Creates or replaces an object. Readers see the old or the new content, never a part.
     */
    void write(String key, byte[] data);

    /**
     * Creates or replaces an object from a local file. Readers see the old or the new content, never a part.
     */
    void upload(String key, Path file);

    /**
     * Creates an object only if no object has the key, atomically: of several concurrent callers at most one
     * gets {@code true}. Returns false when the key exists.
     */
    boolean createIfAbsent(String key, byte[] data);

    /**
     * All objects whose key starts with the prefix, at any depth, in key order.
     */
    List<BlobEntry> list(String prefix);

    /**
     * Partial objects a writer that stopped left below a prefix (a local store's hidden temporary files), which
     * {@link #list} does not show; none for stores whose writes are single requests.
     */
    default List<BlobEntry> listIncomplete(String prefix)
    {
        return List.of();
    }

    /**
     * The names of the "folders" directly below a prefix that ends with {@code /}.
     */
    List<String> listFolders(String prefix);

    /**
     * Deletes an object; nothing happens when there is none.
     */
    void delete(String key);

    /**
     * The object as a file on this machine, when the store is a local directory.
     */
    Optional<Path> localFile(String key);

    /**
     * The store root, e.g. {@code s3://bucket/prefix} or {@code /var/onyx/models}, for operators; messages for SQL
     * users do not show local paths.
     */
    String location();

    @Override
    void close();
}
