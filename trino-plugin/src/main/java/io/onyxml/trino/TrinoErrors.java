package io.onyxml.trino;

import io.onyxml.store.OnyxException;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;
import io.trino.spi.security.AccessDeniedException;

import java.util.function.Supplier;

/**
 * Turns the core's {@link OnyxException}s into {@link TrinoException}s with the connector's error codes, keeping
 * their messages, which are written for SQL users.
 */
public final class TrinoErrors
{
    private TrinoErrors() {}

    public static TrinoException toTrinoException(OnyxException exception)
    {
        if (exception.errorCode() == io.onyxml.store.OnyxErrorCode.MODEL_ACCESS_DENIED) {
            // Trino's own access-denied error, as its access control raises it
            return new AccessDeniedException(exception.getMessage());
        }
        return new TrinoException(errorCode(exception.errorCode()), exception.getMessage(), exception);
    }

    /**
     * Runs an action of the core, translating its errors.
     */
    public static <T> T translated(Supplier<T> action)
    {
        try {
            return action.get();
        }
        catch (OnyxException e) {
            throw toTrinoException(e);
        }
    }

    public static void translated(Runnable action)
    {
        try {
            action.run();
        }
        catch (OnyxException e) {
            throw toTrinoException(e);
        }
    }

    /**
     * The connector's code for each core code; a location registrations may not read and a model the user may not use
     * are Trino's own {@code PERMISSION_DENIED}.
     */
    static ErrorCodeSupplier errorCode(io.onyxml.store.OnyxErrorCode code)
    {
        return switch (code) {
            case LOCATION_NOT_ALLOWED, MODEL_ACCESS_DENIED -> StandardErrorCode.PERMISSION_DENIED;
            case INVALID_MODEL_NAME, INVALID_MODEL_REFERENCE, INVALID_ALIAS -> OnyxErrorCode.ONYX_INVALID_MODEL_REFERENCE;
            case MODEL_NOT_FOUND, MODEL_VERSION_NOT_FOUND, MODEL_ALIAS_NOT_FOUND -> OnyxErrorCode.ONYX_MODEL_NOT_FOUND;
            case MODEL_VERSION_IN_USE -> OnyxErrorCode.ONYX_MODEL_VERSION_IN_USE;
            case INVALID_MODEL_FILE -> OnyxErrorCode.ONYX_INVALID_MODEL_FILE;
            case INVALID_ARGUMENT -> OnyxErrorCode.ONYX_INVALID_ARGUMENT;
            case INVALID_TRAINING_DATA -> OnyxErrorCode.ONYX_INVALID_TRAINING_DATA;
            case TRAINING_LIMIT_EXCEEDED -> OnyxErrorCode.ONYX_TRAINING_LIMIT_EXCEEDED;
            case MODEL_TOO_LARGE -> OnyxErrorCode.ONYX_MODEL_TOO_LARGE;
            case CONCURRENCY_LIMIT_EXCEEDED -> OnyxErrorCode.ONYX_CONCURRENCY_LIMIT_EXCEEDED;
            case INVALID_MODEL_INPUT -> OnyxErrorCode.ONYX_INVALID_MODEL_INPUT;
            case UNSUPPORTED_MODEL -> OnyxErrorCode.ONYX_UNSUPPORTED_MODEL;
            case MANIFEST_CORRUPT -> OnyxErrorCode.ONYX_MANIFEST_CORRUPT;
            case CHECKSUM_MISMATCH -> OnyxErrorCode.ONYX_CHECKSUM_MISMATCH;
            case STORE_UNAVAILABLE -> OnyxErrorCode.ONYX_MODEL_STORE_UNAVAILABLE;
            case STORE_ACCESS_DENIED -> OnyxErrorCode.ONYX_MODEL_STORE_ACCESS_DENIED;
            case CONCURRENT_MODIFICATION -> OnyxErrorCode.ONYX_CONCURRENT_MODIFICATION;
            case STORE_ERROR -> OnyxErrorCode.ONYX_MODEL_STORE_ERROR;
            case MODEL_LOAD_FAILED, SIGNATURE_MISMATCH -> OnyxErrorCode.ONYX_MODEL_LOAD_FAILED;
            case INFERENCE_FAILED -> OnyxErrorCode.ONYX_INFERENCE_FAILED;
            case INTERNAL_ERROR -> OnyxErrorCode.ONYX_INTERNAL_ERROR;
        };
    }
}
