package io.onyxml.integration;

import io.onyxml.store.testing.S3ProxyServer;

/**
 * Catalog files of the {@code onyx} connector over the model store {@code s3://models/onyx} in an S3-protocol server.
 */
final class S3Catalogs
{
    private S3Catalogs() {}

    /**
     * The catalog with the test server's access key and the given secret key.
     */
    static String onyx(String endpoint, String secretKey)
    {
        return """
                connector.name=onyx
                onyx.model-store=s3://models/onyx
                onyx.s3.endpoint=%s
                onyx.s3.region=us-east-1
                onyx.s3.path-style-access=true
                onyx.s3.aws-access-key=%s
                onyx.s3.aws-secret-key=%s
                """.formatted(endpoint, S3ProxyServer.ACCESS_KEY, secretKey);
    }
}
