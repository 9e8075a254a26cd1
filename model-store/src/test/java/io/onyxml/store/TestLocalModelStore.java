package io.onyxml.store;

import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.LocalBlobStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TestLocalModelStore
        extends AbstractTestModelStore
{
    @Override
    protected BlobStore createBlobStore()
    {
        return new LocalBlobStore(temporary.resolve("store"));
    }

    @Override
    protected void addIncompleteWrites()
            throws Exception
    {
        // a writer that died while copying a file into place
        Files.write(temporary.resolve("store/models/linear/files/.onyx-tmp-0000"), new byte[] {1, 2, 3});
    }

    @Override
    protected int expectedIncompleteWrites()
    {
        return 1;
    }

    @Test
    void keepsTheDocumentedLayoutWithoutTemporaryFiles()
            throws Exception
    {
        ModelManifest manifest = store.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        store.setAlias("linear", "production", 1);
        Path root = temporary.resolve("store");
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(path -> root.relativize(path).toString()).sorted())
                    .containsExactly(
                            "models/linear/aliases/production.json",
                            "models/linear/" + manifest.modelFile(),
                            "models/linear/versions/00000001.json");
        }
    }

    @Test
    void opensTheStoreFromALocationString()
    {
        try (ModelStore opened = ModelStore.open(ModelStoreConfig.local(temporary.resolve("store")))) {
            assertThat(opened.location()).isEqualTo(temporary.resolve("store").toString());
            opened.register("linear", ModelSource.of(identityModel(1)), RegisterOptions.DEFAULTS);
        }
        try (ModelStore opened = ModelStore.open(ModelStoreConfig.of(temporary.resolve("store").toUri().toString(), S3Options.DEFAULTS))) {
            assertThat(opened.resolve("linear").version()).isEqualTo(1);
        }
    }
}
