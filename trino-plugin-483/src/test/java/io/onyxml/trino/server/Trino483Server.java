package io.onyxml.trino.server;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.io.Reader;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static java.lang.String.format;
import static java.util.Objects.requireNonNull;

/**
 * A Trino 483 server in a JVM of its own, installed as an operator installs one: the {@code lib} and {@code plugin}
 * folders the build assembled from Maven artifacts (see {@code trino-plugin-483/pom.xml}), an {@code etc} folder with
 * {@code node.properties}, {@code jvm.config}, {@code config.properties}, {@code log.properties} and catalogs, and a
 * data directory. It is started with the command Trino's {@code bin/launcher run} builds from {@code etc} (airlift's
 * launcher, read with {@code launcher -v run} on the 476 tarball):
 * <pre>
 * java -cp LIB/* JVM_CONFIG_LINES... -Dlog.levels-file=ETC/log.properties -Dconfig=ETC/config.properties
 *     -DNODE_PROPERTY=VALUE... MAIN_CLASS
 * </pre>
 * in the data directory, which holds links to the {@code etc} and {@code plugin} folders (the server reads
 * {@code etc/catalog} and {@code plugin} there), where the main class is {@code src/test/trino-server/TrinoServer.java},
 * run by the JDK's source launcher.
 */
final class Trino483Server
        implements AutoCloseable
{
    private static final String BUILD_COMMAND = "./mvnw -pl trino-plugin-483 -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=Trino483ServerIT -Dfailsafe.failIfNoSpecifiedTests=false";
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Duration SHUTDOWN = Duration.ofSeconds(30);

    private final Path home;
    private final Path log;
    private final int port;
    private final Process process;
    private final Thread killOnExit;

    private Trino483Server(Path home, Path launcher, Path etc, Path data, int port)
            throws IOException
    {
        this.home = requireNonNull(home, "home is null");
        this.log = data.resolve("server.log");
        this.port = port;

        ImmutableList.Builder<String> command = ImmutableList.builder();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the java launcher expands the wildcard itself, as with Trino's launcher
        command.add("-cp", home.resolve("lib") + "/*");
        command.addAll(jvmConfig(etc.resolve("jvm.config")));
        command.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
        command.add("-Dconfig=" + etc.resolve("config.properties"));
        for (Map.Entry<String, String> property : properties(etc.resolve("node.properties")).entrySet()) {
            command.add("-D" + property.getKey() + "=" + property.getValue());
        }
        command.add(launcher.toString());

        // what the launcher links into the data directory, the server's working directory
        Files.createSymbolicLink(data.resolve("etc"), etc);
        Files.createSymbolicLink(data.resolve("plugin"), home.resolve("plugin"));

        ProcessBuilder builder = new ProcessBuilder(command.build())
                .directory(data.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the log is a file: no terminal colours in it
        builder.environment().put("NO_COLOR", "1");
        process = builder.start();
        // a test JVM that exits without closing this server (killed by a timeout, say) takes the server with it
        killOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the server the build assembled with the given catalogs (name to properties) and waits until it runs
     * queries; its configuration, data directory and log go to a new directory under {@code scratch}.
     */
    static Trino483Server start(Path scratch, Map<String, String> catalogs)
            throws IOException, InterruptedException
    {
        // set by failsafe (trino-plugin-483/pom.xml)
        String directory = System.getProperty("trino.server.directory");
        String launcher = System.getProperty("trino.server.launcher");
        Path home = directory == null ? null : Path.of(directory);
        if (home == null || launcher == null || !Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("plugin"))) {
            throw new IllegalStateException("No Trino server at " + home + ": the pre-integration-test phase of trino-plugin-483 assembles it; run this test with " + BUILD_COMMAND);
        }
        Path server = Files.createTempDirectory(scratch, "trino-483-");
        Path etc = Files.createDirectories(server.resolve("etc"));
        Path data = Files.createDirectories(server.resolve("data"));
        int port = freePort();

        Files.writeString(etc.resolve("node.properties"), """
                node.environment=test
                node.id=onyx-483
                node.data-dir=%s
                node.internal-address=127.0.0.1
                node.bind-ip=127.0.0.1
                """.formatted(data));
        // the project's etc/jvm.config, less the tuning a short test does not need, plus the module Trino 483 requires
        Files.writeString(etc.resolve("jvm.config"), """
                -Xmx1G
                -XX:+UseG1GC
                -XX:+ExitOnOutOfMemoryError
                -Djdk.attach.allowAttachSelf=true
                --enable-native-access=ALL-UNNAMED
                --sun-misc-unsafe-memory-access=allow
                --add-modules=jdk.incubator.vector
                """);
        Files.writeString(etc.resolve("config.properties"), """
                coordinator=true
                node-scheduler.include-coordinator=true
                http-server.http.port=%1$s
                discovery.uri=http://127.0.0.1:%1$s
                query.max-memory=512MB
                query.max-memory-per-node=512MB
                """.formatted(port));
        // the plugin manager's debug lines name each jar a plugin's class loader reads
        Files.writeString(etc.resolve("log.properties"), """
                io.trino=INFO
                io.trino.server.PluginManager=DEBUG
                io.onyxml=INFO
                """);
        Path catalogDirectory = Files.createDirectories(etc.resolve("catalog"));
        for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
            Files.writeString(catalogDirectory.resolve(catalog.getKey() + ".properties"), catalog.getValue());
        }

        Trino483Server started = new Trino483Server(home, Path.of(launcher), etc, data, port);
        try {
            started.awaitReady();
        }
        catch (Throwable e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * The server's plugin folder, each plugin in a folder of its own.
     */
    Path pluginDirectory()
    {
        return home.resolve("plugin");
    }

    Path libDirectory()
    {
        return home.resolve("lib");
    }

    Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "onyx");
        return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port, properties);
    }

    /**
     * What the server printed: its log, since {@code run} mode logs to the console.
     */
    String log()
            throws IOException
    {
        return Files.readString(log);
    }

    String tail()
            throws IOException
    {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    /**
     * Waits until the server answers that it has started and runs a query: it answers before it has announced itself
     * as a node that can run tasks ("No nodes available").
     */
    private void awaitReady()
            throws IOException, InterruptedException
    {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(format("Trino 483 exited with status %s while starting; the end of its log (%s):%n%s", process.exitValue(), log, tail()));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().replace(" ", "").contains("\"starting\":false") && runsQueries()) {
                    return;
                }
            }
            catch (IOException e) {
                // not listening yet
            }
            process.waitFor(500, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(format("Trino 483 did not run queries %s after it was started; the end of its log (%s):%n%s", STARTUP, log, tail()));
    }

    private boolean runsQueries()
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT count(*) FROM tpch.tiny.region")) {
            return result.next();
        }
        catch (SQLException e) {
            return false;
        }
    }

    /**
     * Stops the server as {@code launcher stop} does (SIGTERM), and kills it if it has not exited after a while.
     */
    @Override
    public void close()
            throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Runtime.getRuntime().removeShutdownHook(killOnExit);
    }

    /**
     * The lines of a {@code jvm.config}: one JVM option each, blank lines and {@code #} comments ignored.
     */
    private static List<String> jvmConfig(Path file)
            throws IOException
    {
        return Files.readAllLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(toImmutableList());
    }

    private static Map<String, String> properties(Path file)
            throws IOException
    {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        ImmutableMap.Builder<String, String> builder = ImmutableMap.builder();
        properties.stringPropertyNames().stream().sorted().forEach(name -> builder.put(name, properties.getProperty(name)));
        return builder.buildOrThrow();
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
