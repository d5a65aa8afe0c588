package io.recordingexporter.custody;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.recordingexporter.MutableClock;
import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.SpooledMedia;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Verified writes against S3Proxy (a real S3 implementation that checks {@code x-amz-checksum-sha256}), seen at the
 * HTTP level through a recording WireMock proxy in front of it: large media goes up in parts, each with its checksum,
 * with SSE-KMS and user metadata on the upload; a spool file that no longer matches what was fetched is never stored.
 */
class CustodyWriterTest {

    private static final String BUCKET = "custody";
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;
    private SandboxS3 s3Server;
    private WireMockServer http;
    private S3Client s3;

    @BeforeEach
    void start() throws Exception {
        s3Server = SandboxS3.start(dir.resolve("s3"), BUCKET, Sandbox.freePort());
        // the signature covers the Host header: the proxy must pass it on unchanged
        http = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").preserveHostHeader(true));
        http.start();
        http.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(s3Server.endpoint())));
        s3 = S3Client.builder().endpointOverride(URI.create(http.baseUrl())).forcePathStyle(true).region(Region.EU_WEST_2)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY)))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        http.stop();
        s3Server.close();
    }

    /** The media and sidecar writers over one bucket, as the export route uses them. */
    private record Writers(CustodyWriter media, SidecarWriter sidecars) {

        FetchedRecording store(FetchedRecording fetched) throws java.io.IOException {
            return media.store(fetched);
        }

        FetchedRecording writeSidecar(FetchedRecording fetched) throws java.io.IOException {
            return sidecars.write(fetched);
        }
    }

    private static Writers writers(S3Client client, ObjectEncryption encryption) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        CustodyBucket bucket = new CustodyBucket(client, BUCKET, new S3KeyLayout("genesys"),
                new ServerChecksum(client, BUCKET, "genesys"), new ConditionalWrites(client, BUCKET, "genesys"),
                encryption, new ObjectLock(client, BUCKET, "off"), new CircuitBreaker("s3", 5, Duration.ofSeconds(15),
                        clock));
        return new Writers(new CustodyWriter(bucket, 5 * MIB, 5 * MIB), new SidecarWriter(bucket, new ObjectMapper(),
                clock));
    }

    private Writers writer(ObjectEncryption encryption) {
        return writers(s3, encryption);
    }

    private FetchedRecording spooled(long size) throws Exception {
        return spooled(size, new RecordingItem(UUID.randomUUID().toString(), UUID.randomUUID().toString(), "screen",
                "screen-legal-hold", true, "deletion-protection", Instant.parse("2026-11-20T08:00:00Z"), "{}", 1, null),
                size);
    }

    /** {@code size} bytes drawn from {@code seed}, spooled for {@code item}. */
    private FetchedRecording spooled(long size, RecordingItem item, long seed) throws Exception {
        byte[] bytes = new byte[(int) size];
        new Random(seed).nextBytes(bytes);
        Path file = Files.write(dir.resolve(UUID.randomUUID() + ".webm"), bytes);
        SpooledMedia media = new SpooledMedia(file, size, HexFormat.of().formatHex(sha("SHA-256", bytes)),
                Base64.getEncoder().encodeToString(sha("SHA-256", bytes)), Base64.getEncoder().encodeToString(sha("MD5", bytes)),
                "video/webm", "webm", "127.0.0.1", Instant.parse("2026-11-23T09:59:00Z"));
        return new FetchedRecording(item, media, null);
    }

    private static byte[] sha(String algorithm, byte[] bytes) throws Exception {
        return MessageDigest.getInstance(algorithm).digest(bytes);
    }

    private List<LoggedRequest> requests(String method, String queryPart) {
        return http.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(request -> request.getMethod().getName().equals(method) && request.getUrl().contains(queryPart))
                .toList();
    }

    @Test
    void largeMediaGoesUpInPartsEachWithItsChecksumAndTheUploadKeepsItsMetadata() throws Exception {
        FetchedRecording fetched = spooled(12 * MIB + 123);
        String expectedSha = fetched.media().sha256Hex();
        FetchedRecording stored = writer(new ObjectEncryption("", false)).store(fetched);

        byte[] back = s3.getObjectAsBytes(request -> request.bucket(BUCKET).key(stored.stored().key())).asByteArray();
        assertEquals(expectedSha, HexFormat.of().formatHex(sha("SHA-256", back)), "the bytes S3 holds are the bytes fetched");
        HeadObjectResponse head = s3.headObject(request -> request.bucket(BUCKET).key(stored.stored().key()));
        assertEquals(expectedSha, head.metadata().get("sha256"));
        assertEquals(fetched.item().recordingId(), head.metadata().get("recording-id"));
        assertEquals("video/webm", head.contentType());

        assertEquals(1, requests("POST", "uploads").size(), "one multipart upload");
        List<LoggedRequest> parts = requests("PUT", "partNumber=");
        assertEquals(3, parts.size(), "12 MiB in 5 MiB parts");
        for (LoggedRequest part : parts) {
            assertTrue(part.containsHeader("x-amz-checksum-sha256"), "every part carries its SHA-256: " + part.getUrl());
        }
    }

    /**
     * S3Proxy refuses SSE headers (501), so the KMS settings are checked against an S3 stand-in (WireMock) that
     * answers as S3 does and keeps every request: the headers on the wire are what AWS would receive.
     */
    private WireMockServer fakeS3() {
        WireMockServer fake = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        fake.start();
        fake.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e\"")));
        fake.stubFor(head(anyUrl()).atPriority(5).willReturn(aResponse().withStatus(404)));
        fake.stubFor(put(urlPathMatching(".*/_exporter-checksum-probe/.*"))
                .withHeader("x-amz-checksum-sha256", matching(".*")).atPriority(1).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/xml")
                .withBody("<Error><Code>BadDigest</Code><Message>checksum mismatch</Message></Error>")));
        fake.stubFor(post(urlPathMatching(".*")).withQueryParam("uploads", matching(".*")).atPriority(1).willReturn(
                aResponse().withHeader("Content-Type", "application/xml").withBody("<InitiateMultipartUploadResult>"
                        + "<Bucket>custody</Bucket><Key>k</Key><UploadId>u-1</UploadId></InitiateMultipartUploadResult>")));
        fake.stubFor(post(urlPathMatching(".*")).withQueryParam("uploadId", matching(".*")).atPriority(1).willReturn(
                aResponse().withHeader("Content-Type", "application/xml").withBody("<CompleteMultipartUploadResult>"
                        + "<Bucket>custody</Bucket><Key>k</Key><ETag>\"e-3\"</ETag></CompleteMultipartUploadResult>")));
        return fake;
    }

    private Writers writerAgainst(WireMockServer fake, ObjectEncryption encryption) {
        S3Client client = S3Client.builder().endpointOverride(URI.create(fake.baseUrl())).forcePathStyle(true)
                .region(Region.EU_WEST_2).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        return writers(client, encryption);
    }

    private static List<LoggedRequest> sent(WireMockServer fake, String method, String urlPart) {
        return fake.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(request -> request.getMethod().getName().equals(method) && request.getUrl().contains(urlPart))
                .toList();
    }

    @Test
    void everyWriteCarriesTheKmsKeyOnTheWire() throws Exception {
        WireMockServer fake = fakeS3();
        try {
            Writers kmsWriter = writerAgainst(fake, new ObjectEncryption("alias/recordings", false));
            FetchedRecording small = kmsWriter.writeSidecar(kmsWriter.store(spooled(200_000)).withAuditEntryHash("ab"));
            LoggedRequest put = sent(fake, "PUT", small.item().recordingId() + ".webm").get(0);
            assertEquals("aws:kms", put.getHeader("x-amz-server-side-encryption"));
            assertEquals("alias/recordings", put.getHeader("x-amz-server-side-encryption-aws-kms-key-id"));
            assertFalse(put.containsHeader("x-amz-server-side-encryption-bucket-key-enabled"));
            assertEquals(small.media().sha256Base64(), put.getHeader("x-amz-checksum-sha256"));
            LoggedRequest sidecar = sent(fake, "PUT", "_metadata.json").get(0);
            assertEquals("alias/recordings", sidecar.getHeader("x-amz-server-side-encryption-aws-kms-key-id"),
                    "the sidecar is encrypted with the same key");

            fake.resetRequests();
            writerAgainst(fake, new ObjectEncryption("arn:aws:kms:eu-west-2:111122223333:key/exporter", true))
                    .store(spooled(11 * MIB));
            List<LoggedRequest> creates = sent(fake, "POST", "uploads");
            assertEquals(1, creates.size());
            assertEquals("aws:kms", creates.get(0).getHeader("x-amz-server-side-encryption"));
            assertEquals("arn:aws:kms:eu-west-2:111122223333:key/exporter",
                    creates.get(0).getHeader("x-amz-server-side-encryption-aws-kms-key-id"));
            assertEquals("true", creates.get(0).getHeader("x-amz-server-side-encryption-bucket-key-enabled"));
            assertEquals("SHA256", creates.get(0).getHeader("x-amz-checksum-algorithm"));
            assertEquals("true", creates.get(0).getHeader("x-amz-meta-legal-hold"), "user metadata on the upload");
            assertEquals(3, sent(fake, "PUT", "partNumber=").size());
        } finally {
            fake.stop();
        }
    }

    @Test
    void aSpoolFileThatChangedSinceTheFetchIsNeverStored() throws Exception {
        FetchedRecording fetched = spooled(11 * MIB);
        byte[] bytes = Files.readAllBytes(fetched.media().file());
        bytes[7 * (int) MIB] ^= 0x01;
        Files.write(fetched.media().file(), bytes);
        Writers writer = writer(new ObjectEncryption("", false));
        assertThrows(ChecksumMismatchException.class, () -> writer.store(fetched));
        String key = new S3KeyLayout("genesys").mediaKey(fetched.item(), "webm");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(request -> request.bucket(BUCKET).key(key)));
        assertEquals(1, requests("DELETE", "uploadId=").size(), "the upload was aborted");
        assertEquals(0, s3.listMultipartUploads(request -> request.bucket(BUCKET)).uploads().size(), "no parts left");
    }

    @Test
    void smallMediaThatChangedSinceTheFetchIsRefusedByS3() throws Exception {
        FetchedRecording fetched = spooled(300_000);
        byte[] bytes = Files.readAllBytes(fetched.media().file());
        bytes[100] ^= 0x01;
        Files.write(fetched.media().file(), bytes);
        software.amazon.awssdk.services.s3.model.S3Exception refused = assertThrows(
                software.amazon.awssdk.services.s3.model.S3Exception.class, () -> writer(new ObjectEncryption("", false))
                        .store(fetched));
        assertEquals(io.recordingexporter.failures.FailureClass.CHECKSUM,
                io.recordingexporter.failures.FailureClassifier.classify(refused), refused.getMessage());
    }

    @Test
    void whereTheServerHonoursIfNoneMatchASecondWriterAdoptsAndNeverMakesASecondVersion() throws Exception {
        Writers first = writer(new ObjectEncryption("", false));
        Writers second = writer(new ObjectEncryption("", false));
        for (long size : new long[] {300_000, 11 * MIB}) {
            FetchedRecording a = spooled(size);
            FetchedRecording b = spooled(size, a.item(), size);
            assertFalse(first.store(a).stored().adopted(), "the first write creates the object");
            FetchedRecording again = second.store(b);
            assertTrue(again.stored().adopted(), "the second writer met 412 and adopted the identical object");
        }
        List<LoggedRequest> mediaPuts = requests("PUT", ".webm").stream()
                .filter(request -> !request.getUrl().contains("partNumber")).toList();
        assertTrue(mediaPuts.stream().allMatch(request -> "*".equals(request.getHeader("If-None-Match"))),
                "every media PUT is conditional");
        List<LoggedRequest> completions = requests("POST", "uploadId=");
        assertEquals(2, completions.size());
        assertTrue(completions.stream().allMatch(request -> "*".equals(request.getHeader("If-None-Match"))),
                "and so is every CompleteMultipartUpload");
        assertEquals(0, requests("HEAD", ".webm").size() - 2, "HEAD only after a 412, once per refused write");
        assertEquals(0, s3.listObjectsV2(request -> request.bucket(BUCKET).prefix("genesys/_exporter-checksum-probe/"))
                .keyCount(), "the probes removed what they wrote");

        // sidecars too: the first is written under the condition, a second writer's is refused (412) and the first
        // one kept and read, so the second learns the hold the sidecar in S3 states, not the one it would have written
        FetchedRecording held = spooled(300_000);
        FetchedRecording stored = first.store(held);
        assertTrue(first.writeSidecar(stored).stored().sidecarLegalHold(), "the first sidecar states the hold");
        RecordingItem unheld = new RecordingItem(held.item().recordingId(), held.item().conversationId(), "screen",
                "screen", false, null, held.item().conversationStart(), "{}", 1, null);
        FetchedRecording secondStored = second.store(spooled(300_000, unheld, 300_000));
        assertTrue(second.writeSidecar(secondStored).stored().sidecarLegalHold(),
                "the second writer kept the sidecar already in S3 and read its hold");
        List<LoggedRequest> sidecarPuts = requests("PUT", "_metadata.json");
        assertEquals(2, sidecarPuts.size(), "one sidecar PUT per writer");
        assertTrue(sidecarPuts.stream().allMatch(request -> "*".equals(request.getHeader("If-None-Match"))),
                "every sidecar PUT is conditional");
        assertEquals(1, requests("HEAD", "_metadata.json").size(), "HEAD only after the refused sidecar write");

        FetchedRecording other = spooled(300_000, spooled(300_000).item(), 1);
        first.store(other);
        FetchedRecording different = spooled(300_000, other.item(), 2);
        assertThrows(CustodyConflictException.class, () -> second.store(different),
                "other bytes at the key stop the export");
    }
}
