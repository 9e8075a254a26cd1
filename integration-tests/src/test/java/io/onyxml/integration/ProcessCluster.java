package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static com.google.common.io.MoreFiles.deleteRecursively;

/**
 * The cluster as processes of the official Trino distribution ({@code io.trino:trino-server-core}, with the memory
 * and tpch plugins and the Onyx zip that Maven installed into it), each node a JVM of its own with its own port,
 * data directory and model cache, and the store in an s3proxy in this JVM.
 */
final class ProcessCluster
        implements OnyxCluster
{
    private final S3ProxyServer s3;
    private TrinoServer coordinator;
    private TrinoServer worker;

    ProcessCluster(S3ProxyServer s3)
    {
        this.s3 = s3;
    }

    @Override
    public void start()
            throws Exception
    {
        coordinator = TrinoServer.start(catalogs(cacheDirectory("coordinator")));
        worker = coordinator.startWorker(WORKER, catalogs(cacheDirectory("worker")));
        coordinator.awaitActiveNodes(2);
    }

    /**
     * Each node caches the files it reads from S3 in a directory of its own, as nodes on separate machines do.
     */
    private Map<String, String> catalogs(String cacheDirectory)
    {
        Map<String, String> catalogs = new HashMap<>();
        OnyxCluster.catalogs(s3.endpoint()).forEach((name, properties) -> catalogs.put(name, properties + "onyx.model-cache-directory=" + cacheDirectory + "\n"));
        return catalogs;
    }

    private static String cacheDirectory(String node)
            throws IOException
    {
        return Files.createTempDirectory("onyx-" + node + "-cache-").toString();
    }

    @Override
    public Connection connect()
            throws SQLException
    {
        return coordinator.connect();
    }

    @Override
    public String cli(String sql)
            throws Exception
    {
        return coordinator.cli(sql);
    }

    @Override
    public S3ProxyServer s3()
    {
        return s3;
    }

    @Override
    public void awaitActiveNodes(int count)
            throws Exception
    {
        coordinator.awaitActiveNodes(count);
    }

    @Override
    public void killWorker()
            throws Exception
    {
        worker.kill();
    }

    @Override
    public void startWorker()
            throws Exception
    {
        worker.close();
        worker = coordinator.startWorker(WORKER, catalogs(cacheDirectory("worker")));
        coordinator.awaitActiveNodes(2);
    }

    @Override
    public void upgradePlugin()
            throws Exception
    {
        worker.close();
        coordinator.close();
        Path plugin = TrinoServer.pluginDirectory();
        deleteRecursively(plugin);
        unzip(Path.of(System.getProperty("onyx.trino.zip")), plugin.getParent());
        start();
    }

    private static void unzip(Path zip, Path directory)
            throws IOException
    {
        try (ZipInputStream entries = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IOException("Entry outside the target directory in " + zip + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                }
                else {
                    Files.createDirectories(target.getParent());
                    Files.copy(entries, target);
                }
            }
        }
    }

    @Override
    public void close()
            throws Exception
    {
        try (S3ProxyServer ignored = s3) {
            if (worker != null) {
                worker.close();
            }
            if (coordinator != null) {
                coordinator.close();
            }
        }
    }
}
