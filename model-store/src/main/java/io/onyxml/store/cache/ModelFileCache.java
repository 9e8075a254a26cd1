package io.onyxml.store.cache;

import com.google.common.collect.ImmutableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.util.Objects.requireNonNull;

/**
 * A local directory of model files downloaded from a remote store, named by their sha256 so that a file is fetched
 * once however many versions or names share it. It is trimmed to a size limit, least recently used files first
 * (use is recorded in the file's modification time, so the order survives restarts and is shared by processes that
 * use the same directory). Callers verify the checksum of what they read.
 */
public final class ModelFileCache
{
    private static final String SUFFIX = ".onnx";
    private static final String TEMPORARY_PREFIX = ".onyx-download-";

    private final Path directory;
    private final long maxBytes;

    public ModelFileCache(Path directory, long maxBytes)
    {
        this.directory = requireNonNull(directory, "directory is null").toAbsolutePath();
        checkArgument(maxBytes >= 0, "maxBytes is negative");
        this.maxBytes = maxBytes;
    }

    public Optional<Path> lookup(String sha256)
    {
        Path file = fileFor(sha256);
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return Optional.of(file);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new file in the cache directory to download into before {@link #store}.
     */
    public Path newTemporaryFile()
    {
        try {
            Files.createDirectories(directory);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory.resolve(TEMPORARY_PREFIX + UUID.randomUUID());
    }

    /**
     * Moves a downloaded file into the cache under its checksum and trims the cache. Returns the cached file.
     */
    public Path store(String sha256, Path downloaded)
    {
        Path file = fileFor(sha256);
        try {
            try {
                Files.move(downloaded, file, ATOMIC_MOVE);
            }
            catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(downloaded);
            }
            trim(file);
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes a file, e.g. one that failed its checksum.
     */
    public void evict(String sha256)
    {
        try {
            Files.deleteIfExists(fileFor(sha256));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Path> files()
    {
        if (!Files.isDirectory(directory)) {
            return ImmutableList.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().collect(toImmutableList());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void trim(Path keep)
            throws IOException
    {
        List<CachedFile> cached = new ArrayList<>();
        long total = 0;
        for (Path path : files()) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                cached.add(new CachedFile(path, attributes.size(), attributes.lastModifiedTime()));
                total += attributes.size();
            }
            catch (NoSuchFileException e) {
                // removed by another process
            }
        }
        cached.sort(Comparator.comparing(CachedFile::lastUsed));
        for (CachedFile file : cached) {
            if (total <= maxBytes) {
                return;
            }
            if (!file.path().equals(keep)) {
                Files.deleteIfExists(file.path());
                total -= file.size();
            }
        }
    }

    private Path fileFor(String sha256)
    {
        checkArgument(sha256.matches("[0-9a-f]{64}"), "not a sha256: %s", sha256);
        return directory.resolve(sha256 + SUFFIX);
    }

    private record CachedFile(Path path, long size, FileTime lastUsed) {}
}
