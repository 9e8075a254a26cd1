import io.trino.server.Server;

import static com.google.common.base.MoreObjects.firstNonNull;

/**
 * The main class of a Trino server assembled from Maven artifacts, in place of Trino's own
 * {@code io.trino.server.TrinoServer} (the only class of trino-server-main, which Maven Central has up to 368 only),
 * doing what that one does: start {@link Server} with the version in the manifest of its jar (trino-main's here). The
 * JDK's source launcher runs this file ({@code java ... -cp 'lib/*' TrinoServer.java}), so the server's classpath
 * holds the jars of its lib folder and nothing else.
 */
public final class TrinoServer
{
    private TrinoServer() {}

    public static void main(String[] args)
    {
        String version = Server.class.getPackage().getImplementationVersion();
        new Server().start(firstNonNull(version, "unknown"));
    }
}
