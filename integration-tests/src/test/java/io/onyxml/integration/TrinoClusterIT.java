package io.onyxml.integration;

/**
 * {@link ClusterScenarios} on a coordinator and a worker started as processes of the official Trino distribution.
 */
class TrinoClusterIT
        extends ClusterScenarios
{
    @Override
    SharedClusters.Kind kind()
    {
        return SharedClusters.Kind.PROCESSES;
    }
}
