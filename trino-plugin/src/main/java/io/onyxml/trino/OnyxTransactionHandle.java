package io.onyxml.trino;

import io.trino.spi.connector.ConnectorTransactionHandle;

public enum OnyxTransactionHandle
        implements ConnectorTransactionHandle
{
    INSTANCE
}
