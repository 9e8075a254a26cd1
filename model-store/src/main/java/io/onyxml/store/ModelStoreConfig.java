package io.onyxml.store;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param changeDelay how long after it is written a change (a registration, an alias moved or dropped, a version
 * deleted) takes effect; the call waits it out. Queries that start meanwhile resolve as before the change on every
 * node, so only a write that takes longer than this can let the nodes of one query see different versions.
 * Engines use {@link #DEFAULT_CHANGE_DELAY}; the convenience constructors none
 */
public record ModelStoreConfig(String location, S3Options s3, Optional<Path> cacheDirectory, long cacheMaxBytes, RegistrationPolicy registration, Duration changeDelay)
{
    public static final Duration DEFAULT_CHANGE_DELAY = Duration.ofSeconds(1);
    public static final long DEFAULT_CACHE_MAX_BYTES = 2L << 30;

    public ModelStoreConfig
    {
        requireNonNull(location, "location is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(cacheDirectory, "cacheDirectory is null");
        checkArgument(cacheMaxBytes >= 0, "cacheMaxBytes is negative");
        requireNonNull(registration, "registration is null");
        requireNonNull(changeDelay, "changeDelay is null");
        checkArgument(!changeDelay.isNegative(), "changeDelay is negative");
    }

    /**
     * A store whose registrations may read any location and whose changes take effect as soon as they are written.
     */
    public ModelStoreConfig(String location, S3Options s3, Optional<Path> cacheDirectory, long cacheMaxBytes)
    {
        this(location, s3, cacheDirectory, cacheMaxBytes, RegistrationPolicy.UNRESTRICTED, Duration.ZERO);
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
        return new ModelStoreConfig(location, s3, Optional.of(directory), maxBytes, registration, changeDelay);
    }

    public ModelStoreConfig withRegistrationPolicy(RegistrationPolicy policy)
    {
        return new ModelStoreConfig(location, s3, cacheDirectory, cacheMaxBytes, policy, changeDelay);
    }

    public ModelStoreConfig withChangeDelay(Duration delay)
    {
        return new ModelStoreConfig(location, s3, cacheDirectory, cacheMaxBytes, registration, delay);
    }

    public Path effectiveCacheDirectory()
    {
        return cacheDirectory.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "onyx-model-cache"));
    }
}
