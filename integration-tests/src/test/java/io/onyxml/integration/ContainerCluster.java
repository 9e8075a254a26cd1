package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.trino.TrinoContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * The cluster in containers of the official Trino image ({@code trinodb/trino} at the version the plugin is built
 * for), the coordinator through Testcontainers' {@link TrinoContainer}, the worker a container of the same image on
 * the same network. The Onyx plugin folder the build installed is copied into {@code /usr/lib/trino/plugin/onyx} of
 * each, the catalogs into {@code /etc/trino/catalog}. The store stays in an s3proxy in this JVM, which the containers
 * reach through Testcontainers' host port forwarding ({@code host.testcontainers.internal}).
 */
final class ContainerCluster
        implements OnyxCluster
{
    static final String NO_DOCKER = "no Docker engine here: the scenarios run on the Trino distribution's processes instead (TrinoClusterIT, TrinoAndSparkIT); "
            + "with Docker they also run in containers of the official Trino image";

    private static final String IMAGE_PLUGIN_DIRECTORY = "/usr/lib/trino/plugin/onyx";
    private static final String COORDINATOR_ALIAS = "coordinator";
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final S3ProxyServer s3;
    private final Network network = Network.newNetwork();
    private final DockerImageName image = DockerImageName.parse(System.getProperty("trino.image"));
    private final Map<String, String> catalogs;
    private TrinoContainer coordinator;
    private WorkerContainer worker;

    ContainerCluster(S3ProxyServer s3)
    {
        this.s3 = requireNonNull(s3, "s3 is null");
        int port = URI.create(s3.endpoint()).getPort();
        Testcontainers.exposeHostPorts(port);
        this.catalogs = OnyxCluster.catalogs("http://host.testcontainers.internal:" + port);
    }

    /**
     * Whether this machine has a Docker engine Testcontainers can use.
     */
    static boolean dockerAvailable()
    {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Override
    public void start()
            throws Exception
    {
        coordinator = withOnyx(new TrinoContainer(image))
                .withNetwork(network)
                .withNetworkAliases(COORDINATOR_ALIAS)
                .withStartupTimeout(STARTUP);
        coordinator.start();
        worker = newWorker();
        worker.start();
        awaitActiveNodes(2);
    }

    private WorkerContainer newWorker()
    {
        return withOnyx(new WorkerContainer(image))
                .withNetwork(network)
                .withCreateContainerCmdModifier(command -> command.withHostName(WORKER))
                .withCopyToContainer(Transferable.of("""
                        coordinator=false
                        http-server.http.port=8080
                        discovery.uri=http://%s:8080
                        """.formatted(COORDINATOR_ALIAS)), "/etc/trino/config.properties")
                .waitingFor(Wait.forHttp("/v1/info").forPort(8080).forResponsePredicate(body -> body.replace(" ", "").contains("\"starting\":false")))
                .withStartupTimeout(STARTUP);
    }

    /**
     * The image with the plugin folder and the catalog files (the image's own node id is its host name).
     */
    private <T extends GenericContainer<T>> T withOnyx(T container)
    {
        T result = container.withCopyFileToContainer(MountableFile.forHostPath(TrinoServer.pluginDirectory()), IMAGE_PLUGIN_DIRECTORY);
        for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
            result = result.withCopyToContainer(Transferable.of(catalog.getValue()), "/etc/trino/catalog/" + catalog.getKey() + ".properties");
        }
        return result;
    }

    @Override
    public Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "onyx");
        return DriverManager.getConnection("jdbc:trino://" + coordinator.getHost() + ":" + coordinator.getMappedPort(8080) + "/ml/system", properties);
    }

    @Override
    public String cli(String sql)
            throws Exception
    {
        ExecResult result = coordinator.execInContainer("trino", "--user", "onyx", "--output-format", "CSV_UNQUOTED", "--execute", sql);
        if (result.getExitCode() != 0) {
            throw new IOException("the Trino CLI failed on " + sql + ":\n" + result.getStdout() + result.getStderr());
        }
        return result.getStdout();
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
        Queries.awaitActiveNodes(this::connect, count, STARTUP);
    }

    @Override
    public void killWorker()
    {
        DockerClientFactory.instance().client().killContainerCmd(worker.getContainerId()).exec();
    }

    @Override
    public void startWorker()
            throws Exception
    {
        worker.stop();
        worker = newWorker();
        worker.start();
        awaitActiveNodes(2);
    }

    @Override
    public void upgradePlugin()
            throws Exception
    {
        // a container starts from the image with the plugin folder copied in afresh: stopping and starting both is the upgrade
        worker.stop();
        coordinator.stop();
        start();
    }

    private static final class WorkerContainer
            extends GenericContainer<WorkerContainer>
    {
        WorkerContainer(DockerImageName image)
        {
            super(image);
        }
    }

    @Override
    public void close()
            throws Exception
    {
        try (S3ProxyServer ignored = s3; Network ignoredNetwork = network) {
            if (worker != null) {
                worker.stop();
            }
            if (coordinator != null) {
                coordinator.stop();
            }
        }
    }
}
