package io.onyxml.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * Where the ONNX file of a model being registered comes from: bytes in memory, a local file, or a URI
 * ({@code file:} or {@code s3://bucket/key}).
 */
public sealed interface ModelSource
{
    /**
     * Names the source in messages.
     */
    String description();

    static ModelSource of(byte[] bytes)
    {
        return new Bytes(bytes);
    }

    static ModelSource of(Path file)
    {
        return new LocalFile(file);
    }

    /**
     * Parses what a user typed: a plain path, a {@code file:} URI or an {@code s3://} URI.
     */
    static ModelSource parse(String location)
    {
        if (location == null || location.isBlank()) {
            throw new OnyxException(INVALID_ARGUMENT, "Model location is empty: give a local path, a file: URI or an s3://bucket/key URI");
        }
        String text = location.strip();
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' holds control characters", ModelNames.printable(text)));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("s3a://")) {
            try {
                return new ObjectUri(new URI(text));
            }
            catch (URISyntaxException e) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' is not a valid URI: %s", text, e.getMessage()), e);
            }
        }
        if (lower.startsWith("file:")) {
            try {
                return new LocalFile(Path.of(new URI(text)), text);
            }
            catch (URISyntaxException | IllegalArgumentException e) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' is not a valid file URI: %s", text, e.getMessage()), e);
            }
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' has an unsupported scheme: give a local path, a file: URI or an s3://bucket/key URI", text));
        }
        try {
            return new LocalFile(Path.of(text), text);
        }
        catch (InvalidPathException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model location '%s' is not a valid path: %s", ModelNames.printable(text), e.getReason()), e);
        }
    }

    record Bytes(byte[] bytes)
            implements ModelSource
    {
        public Bytes
        {
            requireNonNull(bytes, "bytes is null");
        }

        @Override
        public String description()
        {
            return format("the given bytes (%s bytes)", bytes.length);
        }
    }

    /**
     * @param description the file as the user named it, which messages show instead of the path it resolved to
     */
    record LocalFile(Path path, String description)
            implements ModelSource
    {
        public LocalFile
        {
            requireNonNull(path, "path is null");
            requireNonNull(description, "description is null");
        }

        public LocalFile(Path path)
        {
            this(path, path.toString());
        }
    }

    record ObjectUri(URI uri)
            implements ModelSource
    {
        public ObjectUri
        {
            requireNonNull(uri, "uri is null");
        }

        @Override
        public String description()
        {
            return uri.toString();
        }

        public String bucket()
        {
            return uri.getHost() == null ? "" : uri.getHost();
        }

        /**
         * The object key, decoded from the URI's path.
         */
        public String key()
        {
            return uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        }
    }
}
