package io.onyxml.store;

import static java.util.Objects.requireNonNull;

/**
 * The one unchecked exception of the engine-neutral core. Its message is written for a SQL user: it names the
 * model, the version and the column or input concerned, and what was expected.
 */
public class OnyxException
        extends RuntimeException
{
    private final OnyxErrorCode errorCode;
    private final boolean retryable;

    public OnyxException(OnyxErrorCode errorCode, String message)
    {
        this(errorCode, message, null, false);
    }

    public OnyxException(OnyxErrorCode errorCode, String message, Throwable cause)
    {
        this(errorCode, message, cause, false);
    }

    public OnyxException(OnyxErrorCode errorCode, String message, Throwable cause, boolean retryable)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.retryable = retryable;
    }

    public OnyxErrorCode errorCode()
    {
        return errorCode;
    }

    /**
     * True when the same operation may succeed if simply run again (a lost race with another writer,
     * a store that was briefly unreachable).
     */
    public boolean isRetryable()
    {
        return retryable;
    }
}
