package io.onyxml.store;

import io.onyxml.store.S3Options.ConditionalWrites;

/**
 * The same behaviour on a store treated as one that ignores {@code If-None-Match}: versions are numbered through
 * claims, and concurrent writers must still never share a version.
 */
class TestS3ModelStoreWithClaims
        extends TestS3ModelStore
{
    @Override
    protected S3Options options()
    {
        return super.options().withConditionalWrites(ConditionalWrites.LIST_CLAIMS);
    }
}
