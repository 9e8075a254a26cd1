package io.onyxml.integration;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One cluster of each kind for all the test classes of a run: started by the first class that asks for it, stopped
 * when the run ends (JUnit closes what its root store holds). A class that disturbs the cluster (kills a node,
 * restarts it) leaves it as it found it: two active nodes, the same catalogs.
 */
final class SharedClusters
        implements BeforeAllCallback
{
    enum Kind
    {
        PROCESSES,
        CONTAINERS,
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedClusters.class);

    private ExtensionContext.Store store;

    @Override
    public void beforeAll(ExtensionContext context)
    {
        store = context.getRoot().getStore(NAMESPACE);
    }

    /**
     * The run's cluster of this kind.
     */
    OnyxCluster get(Kind kind)
    {
        return store.getOrComputeIfAbsent(kind, SharedClusters::start, OnyxCluster.class);
    }

    private static OnyxCluster start(Kind kind)
    {
        OnyxCluster cluster;
        try {
            cluster = switch (kind) {
                case PROCESSES -> new ProcessCluster(TrinoServer.s3ProxyWithBuckets());
                case CONTAINERS -> new ContainerCluster(TrinoServer.s3ProxyWithBuckets());
            };
        }
        catch (Exception e) {
            throw new IllegalStateException("The S3 server of the " + kind + " cluster did not start", e);
        }
        try {
            cluster.start();
            return cluster;
        }
        catch (Exception e) {
            IllegalStateException failure = new IllegalStateException("The " + kind + " cluster did not start", e);
            try {
                cluster.close();
            }
            catch (Exception closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }
}
