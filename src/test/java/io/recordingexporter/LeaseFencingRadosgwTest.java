package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.allStored;
import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.custody.S3KeyLayout;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two nodes on one ledger, leases of 5 s, media downloads of 15 s, a versioned bucket with Object Lock on a real S3
 * (radosgw, which ignores If-None-Match): a worker keeps its lease while it downloads, so no recording is claimed,
 * downloaded or written twice; every media key has one version, every recording one STORED entry, no incident.
 */
class LeaseFencingRadosgwTest {

    private static final Duration DOWNLOAD = Duration.ofSeconds(15);

    @Test
    void longDownloadsUnderShortLeasesOnTwoNodesWriteEachRecordingOnce() throws Exception {
        String endpoint = Radosgw.endpoint();
        String bucket = "leases-" + UUID.randomUUID().toString().substring(0, 8);
        try (S3Client radosgw = Radosgw.client(endpoint);
             ExporterTestEnvironment environment = new ExporterTestEnvironment(30, 7)) {
            radosgw.createBucket(request -> request.bucket(bucket).objectLockEnabledForBucket(true));
            environment.genesys().withMediaPace(DOWNLOAD).withLateScreenDelay(Duration.ZERO);
            List<SimulatedOrg.Conversation> calls = environment.org().conversations().stream()
                    .filter(c -> c.kind().equals("voice")).limit(4).toList();
            int recordings = calls.stream().mapToInt(c -> c.recordings().size()).sum();
            Map<String, String> settings = new HashMap<>(Radosgw.exporterSettings(endpoint, bucket));
            settings.put("exporter.ledger.lease-seconds", "5");
            settings.put("exporter.ledger.lease-renew-interval-ms", "1000");
            settings.put("exporter.lane.poll-interval-ms", "200");
            environment.startExporter(settings);
            environment.startOtherNode("node-b", settings);
            for (SimulatedOrg.Conversation call : calls) {
                assertEquals(202, environment.postWebhook(simpleWebhook(call.id(), false)).statusCode());
            }

            List<JsonNode> items = new ArrayList<>();
            for (SimulatedOrg.Conversation call : calls) {
                JsonNode custody = environment.awaitCustody(call.id(), c -> allStored(c)
                        && c.path("recordings").size() == call.recordings().size(), Duration.ofSeconds(150));
                custody.path("recordings").forEach(items::add);
            }
            assertEquals(recordings, items.size());
            for (JsonNode item : items) {
                String key = item.path("s3Key").asText();
                assertEquals(environment.org().sha256Of(item.path("recordingId").asText()), item.path("sha256").asText());
                assertEquals(1, radosgw.listObjectVersions(request -> request.bucket(bucket).prefix(key))
                        .versions().size(), "one version of " + key);
                String sidecar = S3KeyLayout.sidecarKeyBeside(key, item.path("recordingId").asText());
                assertEquals(1, radosgw.listObjectVersions(request -> request.bucket(bucket).prefix(sidecar))
                        .versions().size(), "one version of " + sidecar);
            }

            List<JsonNode> trail = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (Path audit : List.of(environment.dir().resolve("audit"), environment.dir().resolve("audit-node-b"))) {
                for (String line : AuditTrail.lines(audit)) {
                    trail.add(json.readTree(line));
                }
            }
            for (JsonNode item : items) {
                String recordingId = item.path("recordingId").asText();
                assertEquals(1, trail.stream().filter(entry -> entry.path("event").asText().equals("STORED")
                        && entry.path("recordingId").asText().equals(recordingId)).count(), "STORED once: " + recordingId);
            }
            assertEquals(0, trail.stream().filter(entry -> entry.path("event").asText().equals("LEASE_LOST")).count(),
                    "no lease ran out: each was renewed while its download took three leases");
            assertEquals(recordings, environment.genesys().mediaDownloads(), "each recording downloaded once");
            assertTrue(trail.stream().filter(entry -> entry.path("event").asText().equals("STORED"))
                    .map(entry -> entry.path("hash").asText()).distinct().count() == recordings);
            assertEquals(Map.of(), environment.exporterLedger().incidents().incidentOutboxCounts(), "no incident");
            var probes = radosgw.listObjectVersions(request -> request.bucket(bucket)
                    .prefix("genesys/_exporter-checksum-probe/"));
            assertEquals(0, probes.versions().size() + probes.deleteMarkers().size(),
                    "the start-up probes (checksum, If-None-Match) leave no version and no delete marker behind");

            // each node spooled in a folder of its own, and left nothing behind
            Path spool = environment.dir().resolve("spool");
            try (Stream<Path> nodes = Files.list(spool)) {
                assertEquals(List.of("node-b", "test-node"), nodes.map(node -> node.getFileName().toString()).sorted()
                        .toList(), "one spool folder per node");
            }
            try (Stream<Path> left = Files.walk(spool)) {
                assertEquals(0, left.filter(Files::isRegularFile).count(), "no spool file left");
            }
        }
    }
}
