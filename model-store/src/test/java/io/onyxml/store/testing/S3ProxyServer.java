package io.onyxml.store.testing;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import io.onyxml.store.S3Options;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A real S3-protocol server (s3proxy over a local directory) on a loopback port, for tests. Closing it stops the
 * server and deletes the directory.
 */
public final class S3ProxyServer
        implements AutoCloseable
{
    public static final String ACCESS_KEY = "onyx-access";
    public static final String SECRET_KEY = "onyx-secret";

    private final Path directory;
    private final S3Proxy proxy;
    private final String endpoint;

    public S3ProxyServer(Path directory)
            throws Exception
    {
        this.directory = requireNonNull(directory, "directory is null");
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(directory.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        endpoint = "http://127.0.0.1:" + proxy.getPort();
    }

    public String endpoint()
    {
        return endpoint;
    }

    /**
     * Options that reach this server with its credentials.
     */
    public S3Options options()
    {
        return S3Options.DEFAULTS
                .withEndpoint(endpoint)
                .withRegion("us-east-1")
                .withPathStyleAccess(true)
                .withCredentials(ACCESS_KEY, SECRET_KEY);
    }

    /**
     * A plain client, for tests that set up or inspect buckets behind the store's back.
     */
    public S3Client client()
    {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket)
    {
        try (S3Client client = client()) {
            client.createBucket(request -> request.bucket(bucket));
        }
    }

    @Override
    public void close()
            throws IOException
    {
        try {
            proxy.stop();
        }
        catch (Exception e) {
            throw new IOException("s3proxy did not stop", e);
        }
        finally {
            MoreFiles.deleteRecursively(directory, RecursiveDeleteOption.ALLOW_INSECURE);
        }
    }
}
