package io.onyxml.trino.catalog;

import io.trino.spi.HostAddress;
import io.trino.spi.connector.ConnectorSplit;

import java.util.List;

import static io.airlift.slice.SizeOf.instanceSize;
import static java.util.Objects.requireNonNull;

/**
 * The read of a catalog table on one node: the coordinator, or each node for a table of per-node state.
 */
public record CatalogSplit(HostAddress address)
        implements ConnectorSplit
{
    private static final int INSTANCE_SIZE = instanceSize(CatalogSplit.class);

    public CatalogSplit
    {
        requireNonNull(address, "address is null");
    }

    @Override
    public boolean isRemotelyAccessible()
    {
        return false;
    }

    @Override
    public List<HostAddress> getAddresses()
    {
        return List.of(address);
    }

    @Override
    public long getRetainedSizeInBytes()
    {
        return INSTANCE_SIZE + address.getRetainedSizeInBytes();
    }
}
