package io.onyxml.store;

import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.STORE_ERROR;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * An ONNX file on local disk while it is being registered; a temporary copy is deleted on close.
 */
final class StagedModelFile
        implements AutoCloseable
{
    private final Path file;
    private final boolean temporary;
    private final ByteBuffer bytes;

    private StagedModelFile(Path file, boolean temporary)
    {
        this.file = requireNonNull(file, "file is null");
        this.temporary = temporary;
        try (FileChannel channel = FileChannel.open(file)) {
            this.bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).asReadOnlyBuffer();
        }
        catch (IOException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("Cannot read model file %s: %s", file, e), e);
        }
    }

    static StagedModelFile existing(Path file)
    {
        if (!Files.isRegularFile(file)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model file %s does not exist or is not a file", file));
        }
        if (!Files.isReadable(file)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model file %s is not readable", file));
        }
        return new StagedModelFile(file, false);
    }

    static StagedModelFile temporary(byte[] contents)
    {
        Path file = newTemporaryFile();
        try {
            Files.write(file, contents);
            return new StagedModelFile(file, true);
        }
        catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        }
    }

    static StagedModelFile downloaded(URI uri, S3Options s3)
    {
        String bucket = uri.getHost();
        String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (bucket == null || bucket.isEmpty() || key.isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' must name a bucket and a key: s3://bucket/path/model.onnx", uri));
        }
        Path file = newTemporaryFile();
        try (BlobStore bucketStore = BlobStores.open("s3://" + bucket, s3)) {
            if (!bucketStore.download(key, file)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model file %s does not exist", uri));
            }
            return new StagedModelFile(file, true);
        }
        catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    Path file()
    {
        return file;
    }

    ByteBuffer bytes()
    {
        return bytes.duplicate();
    }

    @Override
    public void close()
    {
        if (temporary) {
            deleteQuietly(file);
        }
    }

    private static Path newTemporaryFile()
    {
        try {
            return Files.createTempFile("onyx-register-", ".onnx");
        }
        catch (IOException e) {
            throw new OnyxException(STORE_ERROR, "Cannot create a temporary file for the model being registered: " + e, e);
        }
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
