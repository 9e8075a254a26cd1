package io.onyxml.store;

import com.google.common.base.Splitter;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * One place models may be registered from: a local directory or an S3 bucket and prefix.
 */
public sealed interface AllowedLocation
{
    /**
     * The source, canonicalised, when it lies in this location; empty when it lies elsewhere, also when only its
     * canonical form (through a symbolic link) does.
     *
     * @throws OnyxException when it lies here but cannot be read
     */
    Optional<ModelSource> admit(ModelSource source, RegistrationPolicy policy);

    static AllowedLocation parse(String location, String setting)
    {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("s3a://")) {
            URI uri = ObjectPrefix.uri(location).orElseThrow(() -> invalid(location, setting, "it is not a valid s3://bucket/prefix URI"));
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw invalid(location, setting, "it names no bucket");
            }
            String prefix = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "").replaceFirst("/+$", "");
            if (!ObjectPrefix.isPlainKey(prefix) && !prefix.isEmpty()) {
                throw invalid(location, setting, "its prefix has empty, '.' or '..' segments");
            }
            return new ObjectPrefix(uri.getHost(), prefix);
        }
        Path directory;
        try {
            String path = lower.startsWith("file:") ? URI.create(location).getPath() : location;
            if (path == null) {
                throw invalid(location, setting, "it is not an absolute path");
            }
            directory = Path.of(path);
        }
        catch (IllegalArgumentException e) {
            throw invalid(location, setting, "it is not a path");
        }
        if (!directory.isAbsolute()) {
            throw invalid(location, setting, "it is not an absolute path");
        }
        return new LocalDirectory(directory.normalize());
    }

    private static OnyxException invalid(String location, String setting, String why)
    {
        return new OnyxException(INVALID_ARGUMENT, format("%s lists '%s', but %s: give absolute directories and s3://bucket/prefix locations", setting, location, why));
    }

    /**
     * A local directory and everything below it, on the machine that registers (the coordinator, for Trino).
     */
    record LocalDirectory(Path directory)
            implements AllowedLocation
    {
        public LocalDirectory
        {
            requireNonNull(directory, "directory is null");
        }

        @Override
        public Optional<ModelSource> admit(ModelSource source, RegistrationPolicy policy)
        {
            if (!(source instanceof ModelSource.LocalFile file)) {
                return Optional.empty();
            }
            Path path = file.path().normalize();
            Optional<Path> realDirectory = realPath(directory);
            if (!containsLexically(path)) {
                return Optional.empty();
            }
            if (realDirectory.isEmpty()) {
                return Optional.empty();
            }
            Path real;
            try {
                real = path.toRealPath();
            }
            catch (IOException e) {
                // say whether it exists only when the deepest part of the path that does exist lies inside too, so that
                // a symbolic link inside cannot tell what is outside
                if (!realPath(deepestExisting(path)).map(existing -> existing.startsWith(realDirectory.get())).orElse(false)) {
                    return Optional.empty();
                }
                String problem = e instanceof NoSuchFileException ? "does not exist" : "cannot be read";
                throw new OnyxException(INVALID_ARGUMENT, format("Model file %s %s", ModelNames.printable(source.description()), problem));
            }
            // a symbolic link inside may point outside (or into another allowed location, which then admits it)
            if (!real.startsWith(realDirectory.get())) {
                return Optional.empty();
            }
            if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
                throw new OnyxException(INVALID_ARGUMENT, format("Model file %s is not a readable file", ModelNames.printable(source.description())));
            }
            return Optional.of(new ModelSource.LocalFile(real, source.description()));
        }

        /**
         * Whether a path lies in this directory as written, before links are followed.
         */
        boolean containsLexically(Path path)
        {
            Path normalized = path.normalize();
            return normalized.startsWith(directory) || realPath(directory).map(normalized::startsWith).orElse(false);
        }

        private static Path deepestExisting(Path path)
        {
            Path existing = path;
            while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            return existing;
        }

        private static Optional<Path> realPath(Path directory)
        {
            try {
                return Optional.of(directory.toRealPath());
            }
            catch (IOException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString()
        {
            return directory.toString();
        }
    }

    /**
     * The objects of a bucket whose keys lie below a prefix, read as folders: {@code s3://b/team} admits
     * {@code s3://b/team/m.onnx}, not {@code s3://b/teamwork/m.onnx}.
     */
    record ObjectPrefix(String bucket, String prefix)
            implements AllowedLocation
    {
        public ObjectPrefix
        {
            requireNonNull(bucket, "bucket is null");
            requireNonNull(prefix, "prefix is null");
        }

        @Override
        public Optional<ModelSource> admit(ModelSource source, RegistrationPolicy policy)
        {
            if (!(source instanceof ModelSource.ObjectUri object) || !bucket.equals(object.uri().getHost())) {
                return Optional.empty();
            }
            String key = object.key();
            if (!isPlainKey(key) || (!prefix.isEmpty() && !key.startsWith(prefix + "/"))) {
                return Optional.empty();
            }
            return Optional.of(source);
        }

        /**
         * Keys that mean the same on every S3-compatible server: no empty, {@code .} or {@code ..} segments, no
         * control characters.
         */
        static boolean isPlainKey(String key)
        {
            if (key.isEmpty() || key.chars().anyMatch(Character::isISOControl)) {
                return false;
            }
            for (String segment : Splitter.on('/').split(key)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    return false;
                }
            }
            return true;
        }

        static Optional<URI> uri(String text)
        {
            try {
                return Optional.of(new URI(text));
            }
            catch (URISyntaxException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString()
        {
            return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
        }
    }
}
