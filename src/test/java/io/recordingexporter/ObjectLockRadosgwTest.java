package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Object Lock against Ceph radosgw, a real S3 implementation that enforces it ({@code .ci/radosgw.sh} starts one;
 * {@code RADOSGW_ENDPOINT} names it). Legal-hold recordings are really held (GetObjectLegalHold ON, deleting their
 * version refused), other conversations' objects are not, a hold that comes after the export reaches the existing
 * objects, and start-up fails closed against a bucket without Object Lock. Without {@code RADOSGW_ENDPOINT} the test
 * is skipped, unless {@code REQUIRE_RADOSGW=1} (CI) makes that a failure.
 */
class ObjectLockRadosgwTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static String endpoint;
    private static S3Client radosgw;
    private static String lockedBucket;
    private static String plainBucket;

    @BeforeAll
    static void radosgw() {
        endpoint = Radosgw.endpoint();
        radosgw = Radosgw.client(endpoint);
        String run = UUID.randomUUID().toString().substring(0, 8);
        lockedBucket = "held-" + run;
        plainBucket = "plain-" + run;
        radosgw.createBucket(request -> request.bucket(lockedBucket).objectLockEnabledForBucket(true));
        radosgw.createBucket(request -> request.bucket(plainBucket));
    }

    @AfterAll
    static void close() {
        if (radosgw != null) {
            radosgw.close();
        }
    }

    private static Map<String, String> against(String bucket) {
        Map<String, String> settings = Radosgw.exporterSettings(endpoint, bucket);
        settings.put("exporter.s3.object-lock.hold-interval-ms", "300");
        settings.put("genesys.legal-hold.recheck-interval-seconds", "1");
        settings.put("genesys.legal-hold.refresh-seconds", "0");
        return settings;
    }

    private static String legalHoldOf(String key, String versionId) {
        try {
            return radosgw.getObjectLegalHold(request -> request.bucket(lockedBucket).key(key).versionId(versionId))
                    .legalHold().statusAsString();
        } catch (S3Exception e) {
            return "none (" + e.statusCode() + ")";
        }
    }

    private static JsonNode awaitHeldSidecar(String key) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(TIMEOUT);
        while (true) {
            JsonNode sidecar = new com.fasterxml.jackson.databind.ObjectMapper().readTree(radosgw.getObjectAsBytes(
                    request -> request.bucket(lockedBucket).key(key)).asByteArray());
            if (sidecar.path("custody").path("legalHold").asBoolean() || java.time.Instant.now().isAfter(deadline)) {
                assertTrue(sidecar.path("custody").path("legalHold").asBoolean(), "sidecar names the hold: " + sidecar);
                return sidecar;
            }
            Thread.sleep(200);
        }
    }

    private static String sidecarOf(String mediaKey, String recordingId) {
        return mediaKey.substring(0, mediaKey.lastIndexOf('/') + 1) + recordingId + "_metadata.json";
    }

    @Test
    void legalHoldObjectsAreHeldOthersAreNotAndALaterHoldReachesExistingObjects() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(30, 7)) {
            List<SimulatedOrg.Conversation> free = environment.org().conversations().stream()
                    .filter(c -> !c.legalHold()).limit(2).toList();
            // held by the participant attribute alone, which no webhook mentions: read from Genesys before routing
            SimulatedOrg.Conversation held = environment.org().conversations().stream()
                    .filter(c -> c.legalHoldAttribute() && !c.protectedFromDeletion()).findFirst().orElseThrow();
            SimulatedOrg.Conversation unheld = free.get(0);
            SimulatedOrg.Conversation heldLater = free.get(1);
            environment.startExporter(against(lockedBucket));
            for (SimulatedOrg.Conversation conversation : List.of(held, unheld, heldLater)) {
                environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(), false));
            }

            JsonNode heldCustody = environment.awaitCustody(held.id(), ExporterTestEnvironment::allStored, TIMEOUT);
            for (JsonNode item : heldCustody.path("recordings")) {
                String key = item.path("s3Key").asText();
                String version = item.path("versionId").asText();
                assertTrue(!version.isBlank() && !version.equals("null"), "an Object Lock bucket is versioned: " + item);
                assertEquals("ON", legalHoldOf(key, version), "media held: " + key);
                assertEquals("ON", legalHoldOf(sidecarOf(key, item.path("recordingId").asText()), null), "sidecar held");
                S3Exception refused = assertThrows(S3Exception.class, () -> radosgw.deleteObject(request -> request
                        .bucket(lockedBucket).key(key).versionId(version)), "a held version cannot be deleted");
                assertEquals(403, refused.statusCode());
            }

            JsonNode unheldCustody = environment.awaitCustody(unheld.id(), ExporterTestEnvironment::allStored, TIMEOUT);
            List<String> unheldVersions = new ArrayList<>();
            for (JsonNode item : unheldCustody.path("recordings")) {
                assertNotEquals("ON", legalHoldOf(item.path("s3Key").asText(), item.path("versionId").asText()),
                        "a conversation without hold is not held: " + item);
                unheldVersions.add(item.path("s3Key").asText() + "|" + item.path("versionId").asText());
            }

            // a hold put on in Genesys after the export reaches the objects already in S3
            environment.awaitCustody(heldLater.id(), ExporterTestEnvironment::allStored, TIMEOUT);
            String token = environment.genesys().issueToken();
            HttpResponse<String> protect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    environment.genesys().baseUrl() + "/api/v2/recordings/deletionprotection?protect=true"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"conversationIds\": [\"" + heldLater.id() + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, protect.statusCode(), protect.body());
            JsonNode later = environment.awaitCustody(heldLater.id(), c -> {
                for (JsonNode item : c.path("recordings")) {
                    if (item.path("objectLockLegalHoldAt").isNull() || item.path("objectLockLegalHoldAt").isMissingNode()) {
                        return false;
                    }
                }
                return true;
            }, TIMEOUT);
            for (JsonNode item : later.path("recordings")) {
                String key = item.path("s3Key").asText();
                assertEquals("ON", legalHoldOf(key, item.path("versionId").asText()), "held after the export: " + item);
                assertEquals(1, radosgw.listObjectVersions(request -> request.bucket(lockedBucket).prefix(key))
                        .versions().size(), "the media is never rewritten: " + key);
                String sidecar = sidecarOf(key, item.path("recordingId").asText());
                JsonNode latest = awaitHeldSidecar(sidecar);
                assertEquals("deletion-protection", latest.path("custody").path("legalHoldSource").asText());
                assertEquals("ON", legalHoldOf(sidecar, null), "the new sidecar version carries the hold");
                assertEquals(2, radosgw.listObjectVersions(request -> request.bucket(lockedBucket).prefix(sidecar))
                        .versions().size(), "one new sidecar version, the first kept");
            }
            String trail = String.join("\n", io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit")));
            assertTrue(trail.lines().anyMatch(line -> line.contains("\"OBJECT_LEGAL_HOLD_SET\"")
                    && line.contains(heldLater.id())), "the later hold is audited");

            // and the objects of the conversation without hold can still be deleted
            for (String keyAndVersion : unheldVersions) {
                String[] parts = keyAndVersion.split("\\|");
                radosgw.deleteObject(request -> request.bucket(lockedBucket).key(parts[0]).versionId(parts[1]));
            }
        }
    }

    @Test
    void startUpFailsClosedAgainstABucketWithoutObjectLock() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(5, 7)) {
            Exception refused = assertThrows(Exception.class, () -> environment.startExporter(against(plainBucket)));
            StringBuilder messages = new StringBuilder();
            for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
                messages.append(cause.getMessage()).append('\n');
            }
            assertTrue(messages.toString().contains("cannot hold objects under legal hold")
                    && messages.toString().contains("EXPORTER_S3_OBJECT_LOCK=off"), messages.toString());
        }
    }
}
