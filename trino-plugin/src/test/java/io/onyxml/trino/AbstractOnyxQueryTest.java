package io.onyxml.trino;

import io.onyxml.store.ModelManifest;
import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static com.google.common.io.MoreFiles.deleteRecursively;
import static com.google.common.io.RecursiveDeleteOption.ALLOW_INSECURE;

/**
 * A two-node Trino cluster with the Onyx catalog {@code ml} over a fresh local model store; subclasses register the
 * models they need in {@link #registerModels}. {@code register_model} may read files from {@link #uploads} only.
 */
abstract class AbstractOnyxQueryTest
        extends AbstractTestQueryFramework
{
    protected Path storeDirectory;
    protected Path uploads;
    protected ModelStore store;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        storeDirectory = Files.createTempDirectory("onyx-trino-store-");
        uploads = Files.createTempDirectory("onyx-trino-uploads-").toRealPath();
        store = ModelStore.open(ModelStoreConfig.local(storeDirectory));
        registerModels();
        return OnyxQueryRunner.builder(storeDirectory)
                .addConnectorProperty("onyx.register-model.allowed-locations", uploads.toString())
                .build();
    }

    /**
     * Writes a file where {@code register_model} may read it.
     */
    protected Path upload(String name, byte[] contents)
            throws IOException
    {
        return Files.write(uploads.resolve(name), contents);
    }

    protected abstract void registerModels();

    protected ModelManifest register(String name, byte[] model, RegisterOptions options)
    {
        return store.register(name, ModelSource.of(model), options);
    }

    @AfterAll
    void deleteStore()
            throws IOException
    {
        store.close();
        deleteRecursively(storeDirectory, ALLOW_INSECURE);
        deleteRecursively(uploads, ALLOW_INSECURE);
    }
}
