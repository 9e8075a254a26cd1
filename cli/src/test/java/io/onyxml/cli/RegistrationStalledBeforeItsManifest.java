package io.onyxml.cli;

import io.onyxml.store.ModelSource;
import io.onyxml.store.ModelStore;
import io.onyxml.store.ModelStoreConfig;
import io.onyxml.store.RegisterOptions;
import io.onyxml.store.S3Options;
import io.onyxml.store.blob.BlobEntry;
import io.onyxml.store.blob.BlobStore;
import io.onyxml.store.blob.BlobStores;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

/**
 * A program for a JVM of its own that registers a model in a local store and stops for good when the store is about
 * to write the version's manifest, after the ONNX file is in place; it prints {@value #STALLED} and the manifest's
 * key first, so that a test can kill the process there. The store is the real local store; only the manifest write
 * is held back, in this program, since nothing in a local store can be made to wait from outside.
 * <p>
 * Arguments: the store's directory, the model's name, the ONNX file.
 */
public final class RegistrationStalledBeforeItsManifest
{
    static final String STALLED = "stalled before writing ";

    private RegistrationStalledBeforeItsManifest() {}

    public static void main(String[] args)
    {
        Path directory = Path.of(args[0]);
        BlobStore blobs = new StallingBeforeManifests(BlobStores.open(directory.toString(), S3Options.DEFAULTS));
        try (ModelStore store = new ModelStore(blobs, ModelStoreConfig.local(directory), Optional.empty(), Clock.systemUTC())) {
            store.register(args[1], ModelSource.of(Path.of(args[2])), RegisterOptions.DEFAULTS);
        }
        // never reached: the registration waits for the kill
        System.exit(1);
    }

    private record StallingBeforeManifests(BlobStore delegate)
            implements BlobStore
    {
        StallingBeforeManifests
        {
            requireNonNull(delegate, "delegate is null");
        }

        @Override
        public boolean createIfAbsent(String key, byte[] data)
        {
            if (key.contains("/versions/") && key.endsWith(".json")) {
                System.out.println(STALLED + key);
                System.out.flush();
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("interrupted while stalled before " + key);
            }
            return delegate.createIfAbsent(key, data);
        }

        @Override
        public Optional<byte[]> read(String key)
        {
            return delegate.read(key);
        }

        @Override
        public Optional<BlobEntry> stat(String key)
        {
            return delegate.stat(key);
        }

        @Override
        public boolean download(String key, Path target)
        {
            return delegate.download(key, target);
        }

        @Override
        public boolean download(String key, Path target, long maxBytes)
        {
            return delegate.download(key, target, maxBytes);
        }

        @Override
        public void write(String key, byte[] data)
        {
            delegate.write(key, data);
        }

        @Override
        public void upload(String key, Path file)
        {
            delegate.upload(key, file);
        }

        @Override
        public List<BlobEntry> list(String prefix)
        {
            return delegate.list(prefix);
        }

        @Override
        public List<BlobEntry> listIncomplete(String prefix)
        {
            return delegate.listIncomplete(prefix);
        }

        @Override
        public List<String> listFolders(String prefix)
        {
            return delegate.listFolders(prefix);
        }

        @Override
        public void delete(String key)
        {
            delegate.delete(key);
        }

        @Override
        public Optional<Path> localFile(String key)
        {
            return delegate.localFile(key);
        }

        @Override
        public String location()
        {
            return delegate.location();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
