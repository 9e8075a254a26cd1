package io.onyxml.trino;

import com.google.common.collect.ImmutableMap;
import io.airlift.log.Logger;
import io.trino.plugin.memory.MemoryPlugin;
import io.trino.plugin.tpch.TpchPlugin;
import io.trino.sql.SqlPath;
import io.trino.testing.DistributedQueryRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.airlift.testing.Closeables.closeAllSuppress;
import static io.trino.testing.TestingSession.testSessionBuilder;
import static java.util.Objects.requireNonNull;

/**
 * A Trino cluster in one JVM with the Onyx connector as catalog {@value #CATALOG}, next to {@code tpch} and
 * {@code memory} catalogs; the session path holds {@code ml.system}, so the functions can be called unqualified.
 */
public final class OnyxQueryRunner
{
    public static final String CATALOG = "ml";

    private OnyxQueryRunner() {}

    public static Builder builder(Path modelStore)
    {
        return new Builder(modelStore);
    }

    public static final class Builder
            extends DistributedQueryRunner.Builder<Builder>
    {
        private final Map<String, String> connectorProperties = new HashMap<>();

        private Builder(Path modelStore)
        {
            super(testSessionBuilder()
                    .setCatalog(CATALOG)
                    .setSchema("system")
                    .setPath(SqlPath.buildPath(CATALOG + ".system", Optional.empty()))
                    .build());
            connectorProperties.put("onyx.model-store", requireNonNull(modelStore, "modelStore is null").toString());
            connectorProperties.put("onyx.device", "cpu");
            // procedures wait out the change delay: keep it short in tests
            connectorProperties.put("onyx.change-delay", "100ms");
            setWorkerCount(1);
        }

        public Builder addConnectorProperty(String key, String value)
        {
            connectorProperties.put(key, value);
            return this;
        }

        @Override
        public DistributedQueryRunner build()
                throws Exception
        {
            DistributedQueryRunner queryRunner = super.build();
            try {
                queryRunner.installPlugin(new TpchPlugin());
                // the same splits on every machine (the default is one per core), so that memory and parallelism in tests do not depend on it
                queryRunner.createCatalog("tpch", "tpch", ImmutableMap.of("tpch.splits-per-node", "2"));
                queryRunner.installPlugin(new MemoryPlugin());
                queryRunner.createCatalog("memory", "memory", ImmutableMap.of());
                queryRunner.installPlugin(new OnyxPlugin());
                queryRunner.createCatalog(CATALOG, OnyxConnectorFactory.NAME, ImmutableMap.copyOf(connectorProperties));
                return queryRunner;
            }
            catch (Throwable e) {
                closeAllSuppress(e, queryRunner);
                throw e;
            }
        }
    }

    /**
     * A cluster on http://localhost:8080 with a model store in a temporary directory, for trying queries by hand.
     */
    public static void main(String[] args)
            throws Exception
    {
        Path store = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("onyx-models-");
        DistributedQueryRunner queryRunner = builder(store)
                .addCoordinatorProperty("http-server.http.port", "8080")
                .addExtraProperty("sql.path", CATALOG + ".system")
                .build();
        Logger log = Logger.get(OnyxQueryRunner.class);
        log.info("======== SERVER STARTED ========");
        log.info("\n====\n%s\nmodel store: %s\n====", queryRunner.getCoordinator().getBaseUrl(), store);
    }
}
