package io.onyxml.store.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * A TCP proxy in front of a real server (an S3-protocol server) that injects network faults: it passes traffic, or
 * answers new connections with HTTP 503, or stalls (takes the bytes and answers nothing) from now on or once a
 * request's bytes contain a marker, such as a key, or slows its answers down (a pause before every 4 KiB).
 */
public final class FaultyProxy
        implements AutoCloseable
{
    private static final byte[] UNAVAILABLE = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(ISO_8859_1);

    private final URI target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "faulty-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger unavailableAnswers = new AtomicInteger();
    private volatile boolean stalled;
    private volatile String stallMarker;
    private volatile long answerPauseNanos;

    public FaultyProxy(String targetEndpoint)
            throws IOException
    {
        this.target = URI.create(targetEndpoint);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public String endpoint()
    {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Passes traffic again, and drops the connections that were stalled.
     */
    public void pass()
    {
        stalled = false;
        stallMarker = null;
        answerPauseNanos = 0;
        unavailableAnswers.set(0);
        closeConnections();
    }

    /**
     * Answers the next {@code count} new connections with HTTP 503 and closes them.
     */
    public void answerUnavailable(int count)
    {
        unavailableAnswers.set(count);
    }

    /**
     * Slows every answer down: a pause of {@code pause} before each 4 KiB of it.
     */
    public void slowAnswers(Duration pause)
    {
        answerPauseNanos = pause.toNanos();
    }

    /**
     * Stalls every connection, open or new.
     */
    public void stall()
    {
        stalled = true;
    }

    /**
     * Stalls a connection once its request bytes contain the marker, and every connection after it.
     */
    public void stallWhenRequested(String marker)
    {
        stallMarker = marker;
    }

    /**
     * Whether the proxy stalls now: after {@link #stall}, or once a request carried the marker.
     */
    public boolean stalled()
    {
        return stalled;
    }

    private void accept()
    {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                threads.execute(() -> serve(client));
            }
            catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client)
    {
        try {
            if (unavailableAnswers.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
                client.getInputStream().read(new byte[8192]);
                client.getOutputStream().write(UNAVAILABLE);
                client.close();
                return;
            }
            Socket upstream = new Socket(target.getHost(), target.getPort());
            sockets.add(upstream);
            InputStream answers = upstream.getInputStream();
            OutputStream toClient = client.getOutputStream();
            threads.execute(() -> pump(answers, toClient, false));
            pump(client.getInputStream(), upstream.getOutputStream(), true);
        }
        catch (IOException e) {
            closeQuietly(client);
        }
    }

    private void pump(InputStream in, OutputStream out, boolean request)
    {
        byte[] buffer = new byte[65536];
        String recent = "";
        try {
            while (true) {
                long pause = request ? 0 : answerPauseNanos;
                int read = in.read(buffer, 0, pause > 0 ? 4096 : buffer.length);
                if (read < 0) {
                    out.close();
                    return;
                }
                if (request && stallMarker != null) {
                    String window = recent + new String(buffer, 0, read, ISO_8859_1);
                    if (window.contains(stallMarker)) {
                        stalled = true;
                    }
                    recent = window.substring(Math.max(0, window.length() - stallMarker.length()));
                }
                if (stalled) {
                    // take the bytes, answer nothing
                    continue;
                }
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        }
        catch (IOException e) {
            closeQuietly(out);
        }
    }

    private void closeConnections()
    {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private static void closeQuietly(AutoCloseable closeable)
    {
        try {
            closeable.close();
        }
        catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close()
            throws IOException
    {
        server.close();
        closeConnections();
        threads.shutdownNow();
    }
}
