package io.onyxml.store;

import java.nio.file.Path;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Where the store is and how it is reached.
 *
 * @param location a local directory ({@code /var/onyx/models} or {@code file:/var/onyx/models}) or an
 * S3-compatible bucket and prefix ({@code s3://bucket/prefix})
 * @param cacheDirectory where files of a remote store are kept once downloaded; default
 * {@code ${java.io.tmpdir}/onyx-model-cache}
 * @param cacheMaxBytes the size the cache is trimmed to, oldest-used files first
 * @param registration what registrations may read and how large a model may be
 */
public record ModelStoreConfig(String location, S3Options s3, Optional<Path> cacheDirectory, long cacheMaxBytes, RegistrationPolicy registration)
{
    public static final long DEFAULT_CACHE_MAX_BYTES = 2L << 30;

    public ModelStoreConfig
    {
        requireNonNull(location, "location is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(cacheDirectory, "cacheDirectory is null");
        checkArgument(cacheMaxBytes >= 0, "cacheMaxBytes is negative");
        requireNonNull(registration, "registration is null");
    }

    /**
     * A store whose registrations may read any location.
     */
    public ModelStoreConfig(String location, S3Options s3, Optional<Path> cacheDirectory, long cacheMaxBytes)
    {
        this(location, s3, cacheDirectory, cacheMaxBytes, RegistrationPolicy.UNRESTRICTED);
    }

    public static ModelStoreConfig local(Path directory)
    {
        return new ModelStoreConfig(directory.toString(), S3Options.DEFAULTS, Optional.empty(), DEFAULT_CACHE_MAX_BYTES);
    }

    public static ModelStoreConfig of(String location, S3Options s3)
    {
        return new ModelStoreConfig(location, s3, Optional.empty(), DEFAULT_CACHE_MAX_BYTES);
    }

    public ModelStoreConfig withCache(Path directory, long maxBytes)
    {
        return new ModelStoreConfig(location, s3, Optional.of(directory), maxBytes, registration);
    }

    public ModelStoreConfig withRegistrationPolicy(RegistrationPolicy policy)
    {
        return new ModelStoreConfig(location, s3, cacheDirectory, cacheMaxBytes, policy);
    }

    public Path effectiveCacheDirectory()
    {
        return cacheDirectory.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "onyx-model-cache"));
    }
}
