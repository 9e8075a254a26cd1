package io.onyxml.store;

import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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

    /**
     * Opens the file without following a link in its last part (the path was checked with links resolved, so a link
     * there now was put there since) and checks the size of what was opened before mapping it.
     */
    private StagedModelFile(Path file, boolean temporary, String description, RegistrationPolicy policy)
    {
        this.file = requireNonNull(file, "file is null");
        this.temporary = temporary;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            policy.checkSize(description, channel.size());
            this.bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).asReadOnlyBuffer();
        }
        catch (IOException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("Cannot read model file %s: %s", ModelNames.printable(description), IoFailures.reason(e)), e);
        }
    }

    /**
     * A file the policy admitted; its size is checked before it is mapped.
     */
    static StagedModelFile existing(ModelSource.LocalFile source, RegistrationPolicy policy)
    {
        Path file = source.path();
        if (!Files.isRegularFile(file)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model file %s does not exist or is not a file", ModelNames.printable(source.description())));
        }
        if (!Files.isReadable(file)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model file %s is not readable", ModelNames.printable(source.description())));
        }
        return new StagedModelFile(file, false, source.description(), policy);
    }

    static StagedModelFile temporary(byte[] contents, RegistrationPolicy policy)
    {
        policy.checkSize("of " + contents.length + " given bytes", contents.length);
        Path file = newTemporaryFile();
        try {
            Files.write(file, contents);
            return new StagedModelFile(file, true, "in memory", policy);
        }
        catch (IOException e) {
            deleteQuietly(file);
            throw new OnyxException(STORE_ERROR, "Cannot stage the model being registered in a temporary file: " + IoFailures.reason(e), e);
        }
        catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    /**
     * Downloads an object the policy admitted, after checking its size.
     */
    static StagedModelFile downloaded(ModelSource.ObjectUri source, S3Options s3, RegistrationPolicy policy)
    {
        String bucket = source.bucket();
        String key = source.key();
        if (bucket.isEmpty() || key.isEmpty()) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' must name a bucket and a key: s3://bucket/path/model.onnx", ModelNames.printable(source.description())));
        }
        Path file = newTemporaryFile();
        try (BlobStore bucketStore = BlobStores.open("s3://" + bucket, s3)) {
            BlobEntry object = bucketStore.stat(key).orElseThrow(() -> missing(source));
            policy.checkSize(source.description(), object.size());
            // at most one byte more than allowed, in case the object was replaced by a larger one meanwhile
            if (!bucketStore.download(key, file, policy.maxModelFileBytes() + 1)) {
                throw missing(source);
            }
            return new StagedModelFile(file, true, source.description(), policy);
        }
        catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
    }

    private static OnyxException missing(ModelSource source)
    {
        return new OnyxException(INVALID_ARGUMENT, format("Model file %s does not exist", ModelNames.printable(source.description())));
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
            throw new OnyxException(STORE_ERROR, "Cannot create a temporary file for the model being registered: " + IoFailures.reason(e), e);
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
