package io.onyxml.store;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static com.google.common.base.Preconditions.checkArgument;
import static io.onyxml.store.OnyxErrorCode.INVALID_ARGUMENT;
import static io.onyxml.store.OnyxErrorCode.LOCATION_NOT_ALLOWED;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;
import static java.util.stream.Collectors.joining;

/**
 * What a registration may read and how large a model may be. Engines let SQL users name the file to register, so
 * they restrict it to locations the operator chose: local directories (paths are canonicalised, so neither
 * {@code ..} nor a symbolic link leads out) and {@code s3://bucket/prefix} locations. A location outside gets
 * the same answer whether or not something exists there. Bytes given in memory are only checked for size.
 *
 * @param allowedLocations where files may be registered from; empty when no location is allowed; absent when any
 * location is (a library or command-line user registering their own files)
 * @param maxModelFileBytes the largest ONNX file accepted; values above {@link #DEFAULT_MAX_MODEL_FILE_BYTES} mean it
 * @param allowedLocationsSetting the engine setting that lists the locations, named in messages
 * @param maxModelFileSizeSetting the engine setting that caps the size, named in messages
 */
public record RegistrationPolicy(
        Optional<List<AllowedLocation>> allowedLocations,
        long maxModelFileBytes,
        String allowedLocationsSetting,
        String maxModelFileSizeSetting)
{
    /**
     * The largest message protobuf can parse (2 GiB less one byte), so the largest ONNX file there is.
     */
    public static final long DEFAULT_MAX_MODEL_FILE_BYTES = Integer.MAX_VALUE;
    public static final RegistrationPolicy UNRESTRICTED = new RegistrationPolicy(Optional.empty(), DEFAULT_MAX_MODEL_FILE_BYTES, "allowed locations", "the maximum model file size");

    public RegistrationPolicy
    {
        allowedLocations = requireNonNull(allowedLocations, "allowedLocations is null").map(ImmutableList::copyOf);
        checkArgument(maxModelFileBytes > 0, "maxModelFileBytes must be positive");
        maxModelFileBytes = Math.min(maxModelFileBytes, DEFAULT_MAX_MODEL_FILE_BYTES);
        requireNonNull(allowedLocationsSetting, "allowedLocationsSetting is null");
        requireNonNull(maxModelFileSizeSetting, "maxModelFileSizeSetting is null");
    }

    /**
     * A policy from engine settings: a comma-separated list of absolute directories and {@code s3://bucket/prefix}
     * locations (blank for none), and a size cap.
     */
    public static RegistrationPolicy fromSettings(String allowedLocations, String allowedLocationsSetting, long maxModelFileBytes, String maxModelFileSizeSetting)
    {
        ImmutableList.Builder<AllowedLocation> locations = ImmutableList.builder();
        for (String location : Splitter.on(',').trimResults().omitEmptyStrings().split(allowedLocations == null ? "" : allowedLocations)) {
            locations.add(AllowedLocation.parse(location, allowedLocationsSetting));
        }
        return new RegistrationPolicy(Optional.of(locations.build()), maxModelFileBytes, allowedLocationsSetting, maxModelFileSizeSetting);
    }

    /**
     * The source to read, canonicalised, or an error that says why it may not be read. Sizes are checked when the
     * file is staged, before it is read.
     */
    ModelSource check(ModelSource source)
    {
        if (source instanceof ModelSource.Bytes || allowedLocations.isEmpty()) {
            return source;
        }
        if (allowedLocations.get().isEmpty()) {
            throw new OnyxException(LOCATION_NOT_ALLOWED, format(
                    "Registering models from files is disabled here: %s names no location to read them from; ask the operator to set it to the directories and s3:// prefixes that hold models",
                    allowedLocationsSetting));
        }
        if (source instanceof ModelSource.LocalFile file && !file.path().isAbsolute()) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Model location '%s' is a relative path; give an absolute path in one of: %s",
                    ModelNames.printable(source.description()),
                    allowedLocations.get().stream().map(AllowedLocation::toString).collect(joining(", "))));
        }
        for (AllowedLocation location : allowedLocations.get()) {
            Optional<ModelSource> allowed = location.admit(source, this);
            if (allowed.isPresent()) {
                return allowed.get();
            }
        }
        // a link from one allowed directory into another is admitted by the second
        if (source instanceof ModelSource.LocalFile file && allowedLocations.get().stream().anyMatch(location -> location instanceof AllowedLocation.LocalDirectory directory && directory.containsLexically(file.path()))) {
            Optional<ModelSource> linked = realFile(file);
            if (linked.isPresent() && !linked.get().equals(source)) {
                for (AllowedLocation location : allowedLocations.get()) {
                    Optional<ModelSource> allowed = location.admit(linked.get(), this);
                    if (allowed.isPresent()) {
                        return new ModelSource.LocalFile(((ModelSource.LocalFile) allowed.get()).path(), source.description());
                    }
                }
            }
        }
        throw notAllowed(source);
    }

    private static Optional<ModelSource> realFile(ModelSource.LocalFile file)
    {
        try {
            return Optional.of(new ModelSource.LocalFile(file.path().normalize().toRealPath(), file.description()));
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The error for a source outside every allowed location, worded the same whether or not it exists.
     */
    OnyxException notAllowed(ModelSource source)
    {
        return new OnyxException(LOCATION_NOT_ALLOWED, format(
                "Model location '%s' is not in a location models may be registered from: %s (%s)",
                ModelNames.printable(source.description()),
                allowedLocations.orElseThrow().stream().map(AllowedLocation::toString).collect(joining(", ")),
                allowedLocationsSetting));
    }

    void checkSize(String description, long size)
    {
        if (size > maxModelFileBytes) {
            throw new OnyxException(INVALID_ARGUMENT, format(
                    "Model file %s has %s bytes, more than the %s bytes a model may have (%s)",
                    ModelNames.printable(description),
                    size,
                    maxModelFileBytes,
                    maxModelFileSizeSetting));
        }
    }

    @Override
    public String toString()
    {
        return allowedLocations.map(locations -> locations.stream().map(AllowedLocation::toString).collect(joining(", "))).orElse("any location") + ", at most " + maxModelFileBytes + " bytes";
    }
}
