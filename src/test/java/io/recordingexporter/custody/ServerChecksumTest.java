package io.recordingexporter.custody;

import io.recordingexporter.sandbox.Sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.recordingexporter.sandbox.SandboxS3;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The checksum probe against a server that verifies (S3Proxy) and one that ignores the SHA-256 (WireMock). */
class ServerChecksumTest {

    private static S3Client client(String endpoint) {
        return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true).region(Region.EU_WEST_2)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY)))
                .build();
    }

    @Test
    void aServerThatVerifiesGetsTheSha256(@TempDir Path dir) throws Exception {
        try (SandboxS3 s3 = SandboxS3.start(dir, "probe-bucket", Sandbox.freePort()); S3Client client = client(s3.endpoint())) {
            assertEquals(ServerChecksum.SHA256, new ServerChecksum(client, "probe-bucket", "genesys").verified());
            assertThrows(S3Exception.class, () -> new ServerChecksum(client, "no-such-bucket", "genesys").verified(),
                    "a missing bucket is an error to retry, not a verdict on checksums");
        }
    }

    @Test
    void aServerThatIgnoresItGetsContentMd5AndNoProbeLeftBehind() {
        WireMockServer lenient = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        lenient.start();
        try (S3Client client = client(lenient.baseUrl())) {
            lenient.stubFor(put(urlPathMatching("/b/genesys/_exporter-checksum-probe/.*"))
                    .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"x\"")));
            lenient.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(204)));
            assertEquals(ServerChecksum.MD5, new ServerChecksum(client, "b", "genesys").verified());
            lenient.verify(1, deleteRequestedFor(urlPathMatching("/b/genesys/_exporter-checksum-probe/.*")));
        } finally {
            lenient.stop();
        }
    }

}
