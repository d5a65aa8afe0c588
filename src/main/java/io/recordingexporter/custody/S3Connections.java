package io.recordingexporter.custody;

import java.net.URI;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 client as the service configures it; the verifier sub-commands and the sandbox start from the same. */
public final class S3Connections {

    /** Connections open at once: the lanes' media writes, plus sidecars, digests and holds beside them. */
    public static final int MAX_CONNECTIONS = 32;

    private S3Connections() {}

    /** A client for {@code region}; a non-blank {@code endpoint} (an S3-compatible server) is used path-style. */
    public static S3ClientBuilder builder(String endpoint, String region) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(MAX_CONNECTIONS))
                // checksums are sent explicitly, computed while spooling; the SDK must not recompute or replace them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder;
    }
}
