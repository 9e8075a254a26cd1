package io.onyxml.store.blob;

import io.onyxml.store.OnyxException;
import io.onyxml.store.S3Options;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;

/**
 * Opens the back end a store location names: {@code s3://bucket/prefix} (or {@code s3a://}) for an S3-compatible
 * store, a {@code file:} URI or a plain path for a local directory.
 */
public final class BlobStores
{
    private static final String FORMS = "a local path, a file: URI or s3://bucket/prefix";

    private BlobStores() {}

    public static BlobStore open(String location, S3Options s3)
    {
        if (location == null || location.isBlank()) {
            throw new OnyxException(INVALID_ARGUMENT, "Model store location is empty: give " + FORMS);
        }
        String text = location.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("s3a://")) {
            return S3BlobStore.create(parse(text), s3);
        }
        if (lower.startsWith("file:")) {
            try {
                return new LocalBlobStore(Path.of(parse(text)));
            }
            catch (IllegalArgumentException e) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model store location '%s' is not a valid file URI: %s", text, e.getMessage()), e);
            }
        }
        if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model store location '%s' has an unsupported scheme: give %s", text, FORMS));
        }
        return new LocalBlobStore(Path.of(text));
    }

    private static URI parse(String location)
    {
        try {
            return new URI(location);
        }
        catch (URISyntaxException e) {
            throw new OnyxException(INVALID_ARGUMENT, format("Model store location '%s' is not a valid URI: %s", location, e.getMessage()), e);
        }
    }
}
