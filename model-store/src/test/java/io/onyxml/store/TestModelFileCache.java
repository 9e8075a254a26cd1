package io.onyxml.store;

import io.onyxml.store.cache.ModelFileCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TestModelFileCache
{
    @TempDir
    Path directory;

    @Test
    void keepsFilesUnderTheLimitDroppingTheLeastRecentlyUsed()
            throws Exception
    {
        ModelFileCache cache = new ModelFileCache(directory, 250);
        Path first = store(cache, "1", 100);
        Path second = store(cache, "2", 100);
        Files.setLastModifiedTime(first, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(second, FileTime.from(Instant.now().minusSeconds(30)));
        assertThat(cache.lookup(sha("1"))).contains(first);

        Path third = store(cache, "3", 100);
        assertThat(cache.files()).containsExactlyInAnyOrder(first, third);
        assertThat(cache.lookup(sha("2"))).isEmpty();

        // a file larger than the limit is still kept while it is the newest
        Path big = store(cache, "4", 400);
        assertThat(cache.files()).containsExactly(big);
        assertThat(Files.list(directory).filter(path -> path.getFileName().toString().startsWith(".onyx-download-"))).isEmpty();
    }

    @Test
    void evictsOnRequest()
            throws Exception
    {
        ModelFileCache cache = new ModelFileCache(directory, 1000);
        store(cache, "1", 10);
        cache.evict(sha("1"));
        assertThat(cache.lookup(sha("1"))).isEmpty();
    }

    private static Path store(ModelFileCache cache, String id, int size)
            throws Exception
    {
        Path download = cache.newTemporaryFile();
        Files.write(download, new byte[size]);
        return cache.store(sha(id), download);
    }

    private static String sha(String id)
    {
        return id.repeat(64);
    }
}
