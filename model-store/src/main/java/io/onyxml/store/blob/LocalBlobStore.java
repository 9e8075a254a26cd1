package io.onyxml.store.blob;

import com.google.common.collect.ImmutableList;
import io.onyxml.store.IoFailures;
import io.onyxml.store.OnyxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static io.onyxml.store.OnyxErrorCode.STORE_ACCESS_DENIED;
import static io.onyxml.store.OnyxErrorCode.STORE_ERROR;
import static java.lang.String.format;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * A store in a local (or network-mounted) directory. Every write goes to a hidden temporary file in the target's
 * folder first and is then renamed into place, so readers never see a partial file; {@link #createIfAbsent} links
 * the finished temporary file to its key, which fails atomically when the key exists.
 */
public final class LocalBlobStore
        implements BlobStore
{
    static final String TEMPORARY_PREFIX = ".onyx-tmp-";

    private final Path root;

    public LocalBlobStore(Path root)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    @Override
    public Optional<byte[]> read(String key)
    {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public Optional<BlobEntry> stat(String key)
    {
        try {
            BasicFileAttributes attributes = Files.readAttributes(resolve(key), BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobEntry(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public boolean download(String key, Path target)
    {
        try {
            Files.copy(resolve(key), target, REPLACE_EXISTING);
            return true;
        }
        catch (NoSuchFileException e) {
            if (Files.exists(target.toAbsolutePath().getParent())) {
                return false;
            }
            throw failure("download", key, e);
        }
        catch (IOException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public void write(String key, byte[] data)
    {
        Path target = resolve(key);
        try {
            moveIntoPlace(writeTemporary(target, data), target);
        }
        catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public void upload(String key, Path file)
    {
        Path target = resolve(key);
        try {
            moveIntoPlace(writeTemporary(target, temporary -> Files.copy(file, temporary)), target);
        }
        catch (IOException e) {
            throw failure("write", key, e);
        }
    }

    @Override
    public boolean createIfAbsent(String key, byte[] data)
    {
        Path target = resolve(key);
        try {
            if (Files.exists(target)) {
                return false;
            }
            Path temporary = writeTemporary(target, data);
            try {
                Files.createLink(target, temporary);
                return true;
            }
            catch (FileAlreadyExistsException e) {
                return false;
            }
            catch (UnsupportedOperationException e) {
                // file systems without hard links: exclusive creation is still atomic, only the content is written after it
                return createExclusively(target, data);
            }
            finally {
                Files.deleteIfExists(temporary);
            }
        }
        catch (IOException e) {
            throw failure("create", key, e);
        }
    }

    private static boolean createExclusively(Path target, byte[] data)
            throws IOException
    {
        try {
            Files.write(target, data, CREATE_NEW, WRITE);
            return true;
        }
        catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public List<BlobEntry> list(String prefix)
    {
        int slash = prefix.lastIndexOf('/');
        Path folder = slash < 0 ? root : resolve(prefix.substring(0, slash));
        List<BlobEntry> entries = new ArrayList<>();
        try {
            collect(folder, prefix, entries);
        }
        catch (IOException e) {
            throw failure("list", prefix, e);
        }
        entries.sort(Comparator.comparing(BlobEntry::key));
        return ImmutableList.copyOf(entries);
    }

    @Override
    public List<BlobEntry> listIncomplete(String prefix)
    {
        Path folder = prefix.isEmpty() ? root : resolve(prefix);
        List<BlobEntry> entries = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (!path.getFileName().toString().startsWith(TEMPORARY_PREFIX)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        entries.add(new BlobEntry(key(path), attributes.size(), attributes.lastModifiedTime().toInstant()));
                    }
                }
                catch (NoSuchFileException e) {
                    // renamed into place or deleted meanwhile
                }
            }
        }
        catch (NoSuchFileException e) {
            return ImmutableList.of();
        }
        catch (IOException | UncheckedIOException e) {
            throw failure("list", prefix, e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e);
        }
        entries.sort(Comparator.comparing(BlobEntry::key));
        return ImmutableList.copyOf(entries);
    }

    private String key(Path path)
    {
        return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }

    /**
     * Walks a folder, skipping temporary files and entries that vanish while it looks at them (concurrent writers
     * rename and delete files all the time).
     */
    private void collect(Path folder, String prefix, List<BlobEntry> entries)
            throws IOException
    {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(folder)) {
            for (Path child : children) {
                if (child.getFileName().toString().startsWith(TEMPORARY_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class);
                }
                catch (NoSuchFileException e) {
                    continue;
                }
                String key = key(child);
                if (attributes.isDirectory()) {
                    if (prefix.startsWith(key + "/") || (key + "/").startsWith(prefix)) {
                        collect(child, prefix, entries);
                    }
                }
                else if (attributes.isRegularFile() && key.startsWith(prefix)) {
                    entries.add(new BlobEntry(key, attributes.size(), attributes.lastModifiedTime().toInstant()));
                }
            }
        }
        catch (NoSuchFileException | NotDirectoryException e) {
            // the folder does not exist (yet, or any more): nothing to list
        }
    }

    @Override
    public List<String> listFolders(String prefix)
    {
        Path folder = prefix.isEmpty() ? root : resolve(prefix);
        if (!Files.isDirectory(folder)) {
            return ImmutableList.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children
                    .filter(Files::isDirectory)
                    .map(path -> path.getFileName().toString())
                    .sorted()
                    .collect(toImmutableList());
        }
        catch (IOException e) {
            throw failure("list", prefix, e);
        }
    }

    @Override
    public void delete(String key)
    {
        Path target = resolve(key);
        try {
            Files.deleteIfExists(target);
            deleteEmptyFolders(target.getParent());
        }
        catch (IOException e) {
            throw failure("delete", key, e);
        }
    }

    private void deleteEmptyFolders(Path folder)
    {
        Path current = folder;
        while (current != null && current.startsWith(root) && !current.equals(root)) {
            try {
                Files.delete(current);
            }
            catch (IOException e) {
                // not empty (or already gone): stop climbing
                return;
            }
            current = current.getParent();
        }
    }

    @Override
    public Optional<Path> localFile(String key)
    {
        return Optional.of(resolve(key));
    }

    @Override
    public String location()
    {
        return root.toString();
    }

    @Override
    public void close() {}

    private Path resolve(String key)
    {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("key escapes the store root: " + key);
        }
        return path;
    }

    private static Path writeTemporary(Path target, byte[] data)
            throws IOException
    {
        return writeTemporary(target, temporary -> Files.write(temporary, data, CREATE_NEW, WRITE));
    }

    /**
     * Writes a new temporary file next to the target. Deleting a key removes folders left empty, so a folder may
     * vanish between creating it and writing into it: then it is created again.
     */
    private static Path writeTemporary(Path target, TemporaryWriter writer)
            throws IOException
    {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID());
            try {
                writer.write(temporary);
                return temporary;
            }
            catch (NoSuchFileException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
            catch (IOException e) {
                Files.deleteIfExists(temporary);
                throw e;
            }
        }
    }

    private interface TemporaryWriter
    {
        void write(Path temporary)
                throws IOException;
    }

    private static void moveIntoPlace(Path temporary, Path target)
            throws IOException
    {
        try {
            Files.move(temporary, target, ATOMIC_MOVE, REPLACE_EXISTING);
        }
        catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * A failure named by key and reason; the store's path stays out of the message, which SQL users see.
     */
    private OnyxException failure(String operation, String key, IOException cause)
    {
        if (cause instanceof AccessDeniedException) {
            return new OnyxException(STORE_ACCESS_DENIED, format("The model store refused to %s %s: permission denied to the server process", operation, key), cause);
        }
        return new OnyxException(STORE_ERROR, format("The model store failed to %s %s: %s", operation, key, IoFailures.reason(cause)), cause);
    }
}
