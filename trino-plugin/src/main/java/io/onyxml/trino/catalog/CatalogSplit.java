package io.onyxml.trino.catalog;

import io.trino.spi.HostAddress;
import io.trino.spi.connector.ConnectorSplit;

import java.util.List;
import java.util.Optional;

import static io.airlift.slice.SizeOf.instanceSize;
import static java.util.Objects.requireNonNull;

/**
 * The read of a catalog table: on one given node for a table of per-node state, else on any node (they all read the
 * same store).
 */
public record CatalogSplit(Optional<HostAddress> node)
        implements ConnectorSplit
{
    private static final int INSTANCE_SIZE = instanceSize(CatalogSplit.class);

    public CatalogSplit
    {
        requireNonNull(node, "node is null");
    }

    @Override
    public boolean isRemotelyAccessible()
    {
        return node.isEmpty();
    }

    @Override
    public List<HostAddress> getAddresses()
    {
        return node.map(List::of).orElse(List.of());
    }

    @Override
    public long getRetainedSizeInBytes()
    {
        return INSTANCE_SIZE + node.map(HostAddress::getRetainedSizeInBytes).orElse(0L);
    }
}
