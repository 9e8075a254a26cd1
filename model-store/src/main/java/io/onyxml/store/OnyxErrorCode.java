package io.onyxml.store;

import static io.onyxml.store.OnyxErrorCode.Category.EXTERNAL;
import static io.onyxml.store.OnyxErrorCode.Category.INTERNAL;
import static io.onyxml.store.OnyxErrorCode.Category.USER;

/**
 * Stable error codes of the engine-neutral core. The numbers never change meaning; the engines map them
 * onto their own error codes (Trino error codes, Spark error classes).
 */
public enum OnyxErrorCode
{
    INVALID_MODEL_NAME(1, USER),
    INVALID_MODEL_REFERENCE(2, USER),
    MODEL_NOT_FOUND(3, USER),
    MODEL_VERSION_NOT_FOUND(4, USER),
    MODEL_ALIAS_NOT_FOUND(5, USER),
    INVALID_ALIAS(6, USER),
    MODEL_VERSION_IN_USE(7, USER),
    INVALID_MODEL_FILE(8, USER),
    INVALID_ARGUMENT(9, USER),
    INVALID_MODEL_INPUT(10, USER),
    UNSUPPORTED_MODEL(11, USER),
    LOCATION_NOT_ALLOWED(12, USER),
    INVALID_TRAINING_DATA(13, USER),
    TRAINING_LIMIT_EXCEEDED(14, USER),
    MODEL_ACCESS_DENIED(15, USER),
    MODEL_TOO_LARGE(16, USER),
    CONCURRENCY_LIMIT_EXCEEDED(17, USER),

    MANIFEST_CORRUPT(20, EXTERNAL),
    CHECKSUM_MISMATCH(21, EXTERNAL),
    STORE_UNAVAILABLE(22, EXTERNAL),
    STORE_ACCESS_DENIED(23, EXTERNAL),
    CONCURRENT_MODIFICATION(24, EXTERNAL),
    STORE_ERROR(25, EXTERNAL),
    MODEL_LOAD_FAILED(30, EXTERNAL),
    INFERENCE_FAILED(31, EXTERNAL),
    SIGNATURE_MISMATCH(32, EXTERNAL),

    INTERNAL_ERROR(99, INTERNAL);

    /**
     * Who has to act: the user (fix the query or the arguments), the operator of an external system
     * (store, GPU, model file), or the Onyx developers.
     */
    public enum Category
    {
        USER,
        EXTERNAL,
        INTERNAL,
    }

    private final int code;
    private final Category category;

    OnyxErrorCode(int code, Category category)
    {
        this.code = code;
        this.category = category;
    }

    public int code()
    {
        return code;
    }

    public Category category()
    {
        return category;
    }
}
