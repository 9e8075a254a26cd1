package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

/**
 * A real Trino server started from its distribution with the project's {@code etc/} configuration, as
 * {@code bin/onyx-trino} starts it: {@code ONYX_HOME} points at a scratch directory that holds the data directory and
 * the model store.
 */
final class TrinoServer
        implements AutoCloseable
{
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final Process process;
    private final int port;
    private final Path serverHome;
    private final Path onyxHome;
    private final Path dataDirectory;
    private final Path log;

    private TrinoServer(Path serverHome, Path etc, Path onyxHome)
            throws IOException, InterruptedException
    {
        this(serverHome, etc, onyxHome, freePort(), onyxHome.resolve("var/trino/data"), true);
    }

    /**
     * @param coordinator whether the server runs queries: a worker is ready when it answers, not when it runs queries
     */
    private TrinoServer(Path serverHome, Path etc, Path onyxHome, int port, Path dataDirectory, boolean coordinator)
            throws IOException, InterruptedException
    {
        this.serverHome = requireNonNull(serverHome, "serverHome is null");
        this.onyxHome = requireNonNull(onyxHome, "onyxHome is null");
        this.port = port;
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.log = dataDirectory.resolve("server.log");
        Path javaHome = Path.of(System.getProperty("java.home"));
        ProcessBuilder builder = new ProcessBuilder(
                serverHome.resolve("bin/launcher").toString(),
                "run",
                "--etc-dir", etc.toString(),
                "--data-dir", dataDirectory.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("ONYX_HOME", onyxHome.toString());
        environment.put("ONYX_TRINO_PORT", Integer.toString(port));
        environment.put("JAVA_HOME", javaHome.toString());
        environment.put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
        Files.createDirectories(dataDirectory);
        process = builder.start();
        awaitReady(coordinator);
    }

    /**
     * The server the build installed (Maven unpacks the plugins, this extracts the tarball next to them), configured
     * by a copy of the project's {@code etc/} plus the given catalogs (name to properties), with {@code ONYX_HOME} in a
     * new temporary directory.
     */
    static TrinoServer start(Map<String, String> catalogs)
            throws IOException, InterruptedException
    {
        Path etc = Files.createTempDirectory("onyx-etc-");
        copyDirectory(Path.of(System.getProperty("onyx.etc.directory")), etc);
        for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
            Files.writeString(etc.resolve("catalog").resolve(catalog.getKey() + ".properties"), catalog.getValue());
        }
        Path serverHome = Path.of(System.getProperty("trino.server.home"));
        extract(Path.of(System.getProperty("trino.server.tarball")), serverHome);
        return new TrinoServer(serverHome, etc, Files.createTempDirectory("onyx-home-"));
    }

    /**
     * The folder of the Onyx plugin in the server distribution the build installed.
     */
    static Path pluginDirectory()
    {
        return Path.of(System.getProperty("trino.server.home"), "plugin", "onyx-trino-" + System.getProperty("onyx.version"));
    }

    /**
     * An S3-protocol server in this JVM, in a new temporary directory, with the buckets {@code models} and
     * {@code uploads}.
     */
    static S3ProxyServer s3ProxyWithBuckets()
            throws Exception
    {
        S3ProxyServer s3 = new S3ProxyServer(Files.createTempDirectory("onyx-s3-"));
        s3.createBucket("models");
        s3.createBucket("uploads");
        return s3;
    }

    /**
     * A worker for this server, its coordinator: the same distribution, plugins and catalogs, a port, node id and data
     * directory of its own. It shares the coordinator's {@code ONYX_HOME}, so that a catalog over a local directory
     * sees the coordinator's models, as nodes sharing a file system would.
     */
    TrinoServer startWorker(String nodeId, Map<String, String> catalogs)
            throws IOException, InterruptedException
    {
        Path etc = Files.createTempDirectory("onyx-worker-etc-");
        copyDirectory(Path.of(System.getProperty("onyx.etc.directory")), etc);
        for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
            Files.writeString(etc.resolve("catalog").resolve(catalog.getKey() + ".properties"), catalog.getValue());
        }
        int workerPort = freePort();
        Path data = Files.createTempDirectory("onyx-worker-data-");
        Files.writeString(etc.resolve("config.properties"), """
                coordinator=false
                http-server.http.port=%s
                discovery.uri=http://127.0.0.1:%s
                query.max-memory=1GB
                query.max-memory-per-node=1GB
                """.formatted(workerPort, port));
        Files.writeString(etc.resolve("node.properties"), """
                node.environment=onyx
                node.id=%s
                node.data-dir=%s
                node.internal-address=127.0.0.1
                node.bind-ip=127.0.0.1
                """.formatted(nodeId, data));
        return new TrinoServer(serverHome, etc, onyxHome, workerPort, data, false);
    }

    /**
     * Waits until this coordinator lists this many active nodes.
     */
    void awaitActiveNodes(int count)
            throws Exception
    {
        Queries.awaitActiveNodes(this::connect, count, STARTUP);
    }

    /**
     * Extracts the server tarball next to the plugins Maven unpacked into its plugin folder, with tar, which keeps the
     * links the tarball uses for identical jars.
     */
    private static void extract(Path tarball, Path serverHome)
            throws IOException, InterruptedException
    {
        if (Files.exists(serverHome.resolve("bin/launcher"))) {
            return;
        }
        Files.createDirectories(serverHome.getParent());
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", serverHome.getParent().toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes(), UTF_8);
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed to extract " + tarball + ": " + output);
        }
    }

    private void awaitReady(boolean coordinator)
            throws IOException, InterruptedException
    {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Trino exited with status " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"starting\":false") && (!coordinator || acceptsQueries())) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("Trino was not ready after " + STARTUP + ":\n" + tail());
    }

    /**
     * The server answers before it has announced itself as a node that can run tasks ("No nodes available").
     */
    private boolean acceptsQueries()
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM tpch.tiny.region")) {
            return result.next();
        }
        catch (SQLException e) {
            return false;
        }
    }

    Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "onyx");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/ml/system", properties);
    }

    /**
     * Runs the Trino command-line client (the release's executable jar) against this server, as user {@code onyx},
     * and returns what it printed; fails unless it exits with 0.
     */
    String cli(String sql)
            throws IOException, InterruptedException
    {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path errors = Files.createTempFile("trino-cli-", ".err");
        Process cli = new ProcessBuilder(java.toString(), "-jar", System.getProperty("trino.cli.jar"),
                "--server", "http://127.0.0.1:" + port, "--user", "onyx", "--output-format", "CSV_UNQUOTED", "--execute", sql)
                .redirectError(errors.toFile())
                .start();
        String output = new String(cli.getInputStream().readAllBytes(), UTF_8);
        if (!cli.waitFor(2, TimeUnit.MINUTES) || cli.exitValue() != 0) {
            throw new IOException("the Trino CLI failed on " + sql + ":\n" + output + Files.readString(errors));
        }
        return output;
    }

    Path onyxHome()
    {
        return onyxHome;
    }

    /**
     * The directory of the {@code ml} catalog's model store ({@code onyx.model-store} in {@code etc/catalog/ml.properties}).
     */
    Path modelStore()
    {
        return onyxHome.resolve("var/models");
    }

    /**
     * Writes a file where the {@code ml} catalog may register models from ({@code onyx.register-model.allowed-locations}).
     */
    Path upload(String name, byte[] content)
            throws IOException
    {
        Path uploads = Files.createDirectories(onyxHome.resolve("var/uploads"));
        return Files.write(uploads.resolve(name), content);
    }

    /**
     * A GET of the server's REST API as user {@code onyx}, e.g. {@code /v1/query} or {@code /v1/status}. Plain HTTP/1.1:
     * the JDK client's default upgrade to HTTP/2 (h2c) failed on large answers of Trino 476 ("Frame ... exceeds
     * MAX_FRAME_SIZE").
     */
    String get(String path)
            throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Trino-User", "onyx")
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Every log the server wrote: its console output and the files of its data directory.
     */
    List<Path> logs()
            throws IOException
    {
        List<Path> logs = new ArrayList<>();
        logs.add(log);
        Path logDirectory = dataDirectory.resolve("var/log");
        if (Files.isDirectory(logDirectory)) {
            try (Stream<Path> files = Files.list(logDirectory)) {
                files.filter(Files::isRegularFile).forEach(logs::add);
            }
        }
        return logs;
    }

    String tail()
            throws IOException
    {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /**
     * Kills the server's JVM at once, as a crash would, without shutting it down.
     */
    void kill()
            throws InterruptedException
    {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close()
            throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void copyDirectory(Path source, Path target)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
