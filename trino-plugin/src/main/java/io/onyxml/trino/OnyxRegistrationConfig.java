package io.onyxml.trino;

import io.airlift.configuration.Config;
import io.airlift.configuration.ConfigDescription;
import io.airlift.units.DataSize;
import io.airlift.units.MaxDataSize;
import io.airlift.units.MinDataSize;
import io.onyxml.store.OnyxException;
import io.onyxml.store.RegistrationPolicy;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.Optional;

import static io.airlift.units.DataSize.Unit.GIGABYTE;

/**
 * Where {@code register_model} may read ONNX files, and how large they may be. Without allowed locations,
 * {@code register_model} from a path or URI is refused.
 */
public class OnyxRegistrationConfig
{
    static final String ALLOWED_LOCATIONS = "onyx.register-model.allowed-locations";
    static final String MAX_MODEL_FILE_SIZE = "onyx.max-model-file-size";

    private String allowedLocations;
    private DataSize maxModelFileSize = DataSize.of(2, GIGABYTE);

    public Optional<String> getAllowedLocations()
    {
        return Optional.ofNullable(allowedLocations);
    }

    @Config(ALLOWED_LOCATIONS)
    @ConfigDescription("Comma-separated absolute directories of the coordinator and s3://bucket/prefix locations register_model may read; none when not set")
    public OnyxRegistrationConfig setAllowedLocations(String allowedLocations)
    {
        this.allowedLocations = allowedLocations;
        return this;
    }

    @NotNull
    @MinDataSize("1B")
    @MaxDataSize("2GB")
    public DataSize getMaxModelFileSize()
    {
        return maxModelFileSize;
    }

    @Config(MAX_MODEL_FILE_SIZE)
    @ConfigDescription("Largest ONNX file a registration accepts; at most 2GB, the protobuf limit of an ONNX file")
    public OnyxRegistrationConfig setMaxModelFileSize(DataSize maxModelFileSize)
    {
        this.maxModelFileSize = maxModelFileSize;
        return this;
    }

    @AssertTrue(message = ALLOWED_LOCATIONS + " must list absolute directories and s3://bucket/prefix locations, separated by commas")
    public boolean isAllowedLocationsValid()
    {
        try {
            toPolicy();
            return true;
        }
        catch (OnyxException e) {
            return false;
        }
    }

    public RegistrationPolicy toPolicy()
    {
        return RegistrationPolicy.fromSettings(allowedLocations, ALLOWED_LOCATIONS, maxModelFileSize.toBytes(), MAX_MODEL_FILE_SIZE);
    }
}
