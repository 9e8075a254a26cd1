package io.onyxml.integration;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link CrossEngineScenarios} with the Trino cluster in containers of the official Trino image; skipped, saying
 * why, where there is no Docker engine.
 */
@EnabledIf(value = "io.onyxml.integration.ContainerCluster#dockerAvailable", disabledReason = ContainerCluster.NO_DOCKER)
class TrinoAndSparkContainersIT
        extends CrossEngineScenarios
{
    @Override
    SharedClusters.Kind kind()
    {
        return SharedClusters.Kind.CONTAINERS;
    }
}
