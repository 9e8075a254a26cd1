package io.onyxml.integration;

/**
 * {@link CrossEngineScenarios} with the Trino cluster as processes of the official Trino distribution.
 */
class TrinoAndSparkIT
        extends CrossEngineScenarios
{
    @Override
    SharedClusters.Kind kind()
    {
        return SharedClusters.Kind.PROCESSES;
    }
}
