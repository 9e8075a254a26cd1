package io.onyxml.integration;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link ClusterScenarios} on a coordinator and a worker in containers of the official Trino image; skipped, saying
 * why, where there is no Docker engine.
 */
@EnabledIf(value = "io.onyxml.integration.ContainerCluster#dockerAvailable", disabledReason = ContainerCluster.NO_DOCKER)
class TrinoClusterContainersIT
        extends ClusterScenarios
{
    @Override
    SharedClusters.Kind kind()
    {
        return SharedClusters.Kind.CONTAINERS;
    }
}
