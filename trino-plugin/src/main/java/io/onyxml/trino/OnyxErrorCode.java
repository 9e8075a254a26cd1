package io.onyxml.trino;

import io.trino.spi.ErrorCode;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.ErrorType;

import static io.trino.spi.ErrorType.EXTERNAL;
import static io.trino.spi.ErrorType.INSUFFICIENT_RESOURCES;
import static io.trino.spi.ErrorType.INTERNAL_ERROR;
import static io.trino.spi.ErrorType.USER_ERROR;

/**
 * The error codes of the Onyx connector, in a range no Trino plugin uses.
 */
public enum OnyxErrorCode
        implements ErrorCodeSupplier
{
    ONYX_INVALID_MODEL_REFERENCE(0, USER_ERROR),
    ONYX_MODEL_NOT_FOUND(1, USER_ERROR),
    ONYX_INVALID_MODEL_INPUT(2, USER_ERROR),
    ONYX_UNSUPPORTED_MODEL(3, USER_ERROR),
    ONYX_INVALID_MODEL_FILE(4, USER_ERROR),
    ONYX_INVALID_ARGUMENT(5, USER_ERROR),
    ONYX_MODEL_VERSION_IN_USE(6, USER_ERROR),
    ONYX_INVALID_TRAINING_DATA(7, USER_ERROR),
    ONYX_TRAINING_LIMIT_EXCEEDED(8, USER_ERROR),
    ONYX_MODEL_TOO_LARGE(9, INSUFFICIENT_RESOURCES),
    ONYX_CONCURRENCY_LIMIT_EXCEEDED(10, INSUFFICIENT_RESOURCES),
    ONYX_MODEL_STORE_ERROR(16, EXTERNAL),
    ONYX_MODEL_STORE_UNAVAILABLE(17, EXTERNAL),
    ONYX_MODEL_STORE_ACCESS_DENIED(18, EXTERNAL),
    ONYX_CHECKSUM_MISMATCH(19, EXTERNAL),
    ONYX_MANIFEST_CORRUPT(20, EXTERNAL),
    ONYX_CONCURRENT_MODIFICATION(21, EXTERNAL),
    ONYX_MODEL_LOAD_FAILED(22, EXTERNAL),
    ONYX_INFERENCE_FAILED(23, EXTERNAL),
    ONYX_INTERNAL_ERROR(32, INTERNAL_ERROR);

    private final ErrorCode errorCode;

    OnyxErrorCode(int code, ErrorType type)
    {
        errorCode = new ErrorCode(code + 0x0700_0000, name(), type);
    }

    @Override
    public ErrorCode toErrorCode()
    {
        return errorCode;
    }
}
