package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The single-node Ceph radosgw CI starts ({@code .ci/radosgw.sh}, {@code RADOSGW_ENDPOINT}): a real S3 that enforces
 * Object Lock and keeps every version. Tests that need it are skipped without it, except in CI
 * ({@code REQUIRE_RADOSGW=1}), where its absence fails them.
 */
final class Radosgw {

    static final String ACCESS_KEY = "radosgw-test-access";
    static final String SECRET_KEY = "radosgw-test-secret";

    private Radosgw() {}

    /** The endpoint, or the test is skipped (failed in CI). */
    static String endpoint() {
        String endpoint = System.getenv("RADOSGW_ENDPOINT");
        if ("1".equals(System.getenv("REQUIRE_RADOSGW"))) {
            assertTrue(endpoint != null && !endpoint.isBlank(), "CI starts radosgw (.ci/radosgw.sh) and sets RADOSGW_ENDPOINT");
        }
        Assumptions.assumeTrue(endpoint != null && !endpoint.isBlank(), "RADOSGW_ENDPOINT not set: no radosgw to test against");
        return endpoint;
    }

    static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Exporter settings that write to {@code bucket} on radosgw with Object Lock holds on. */
    static Map<String, String> exporterSettings(String endpoint, String bucket) {
        // the exporter's S3 client takes credentials from the AWS default chain, as in production
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        Map<String, String> settings = new HashMap<>();
        settings.put("exporter.s3.endpoint", endpoint);
        settings.put("exporter.s3.bucket", bucket);
        settings.put("exporter.s3.object-lock", "on");
        return settings;
    }
}
