package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A Trino cluster with the Onyx plugin installed as an operator installs it, a coordinator (which also runs tasks)
 * and one worker, whose catalog {@code ml} keeps its models in an S3-protocol server. The scenarios are written
 * against this; {@link ProcessCluster} runs it as processes of the Trino distribution, {@link ContainerCluster} in
 * containers of the official Trino image.
 * <p>
 * Catalogs (the same file on every node, {@link #catalogs}): {@code ml}, the store {@code s3://models/onyx}, which
 * registers models from {@code s3://uploads/team}; {@code ml_s3_wrong}, the same store with a wrong secret key;
 * {@code tpch} and {@code memory}.
 */
interface OnyxCluster
        extends AutoCloseable
{
    String WORKER = "onyx-worker";
    String WRONG_SECRET = "a-wrong-secret-5c1e";

    /**
     * Starts the nodes and returns when the coordinator lists both as active.
     */
    void start()
            throws Exception;

    /**
     * A JDBC connection to the coordinator as user {@code onyx}, in {@code ml.system}.
     */
    Connection connect()
            throws SQLException;

    /**
     * Runs the Trino command-line client against the coordinator, as a user would, and returns what it printed
     * (CSV without quotes); fails unless it succeeds.
     */
    String cli(String sql)
            throws Exception;

    /**
     * The S3-protocol server that holds the model store (bucket {@code models}) and the files to register (bucket
     * {@code uploads}), as this JVM and a Spark program on this machine reach it.
     */
    S3ProxyServer s3();

    /**
     * Waits until the coordinator lists this many active nodes.
     */
    void awaitActiveNodes(int count)
            throws Exception;

    /**
     * Kills the worker's JVM at once, as a crash would.
     */
    void killWorker()
            throws Exception;

    /**
     * Starts a new worker (after {@link #killWorker}) and waits until the cluster has two nodes again.
     */
    void startWorker()
            throws Exception;

    /**
     * Upgrades the plugin as docs/deploying-trino.md says: stops every node, empties the plugin folder, installs the
     * zip afresh, starts the nodes; returns when the cluster has two active nodes again.
     */
    void upgradePlugin()
            throws Exception;

    /**
     * The catalog files of every node, by catalog name, for a store at the given S3 endpoint.
     */
    static Map<String, String> catalogs(String s3Endpoint)
    {
        return Map.of(
                "ml", S3Catalogs.onyx(s3Endpoint, S3ProxyServer.SECRET_KEY) + "onyx.register-model.allowed-locations=s3://uploads/team\n",
                "ml_s3_wrong", S3Catalogs.onyx(s3Endpoint, WRONG_SECRET));
    }
}
