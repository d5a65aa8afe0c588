package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.sandbox.GenesysSimulator.MediaTrap;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Media links are outside input. A link to a host the allow-list does not name, a redirect to one, a body that
 * stalls, and a body over the lane's cap are each refused with a failure class of its own, audited and FAILED at once
 * (never retried as transient), nothing is stored for them, and the lane goes on exporting the rest. Every connection
 * here stays on 127.0.0.1: the other host (127.0.0.2) is refused before anything connects to it.
 */
class BoundedDownloadsTest {

    @Test
    void hostileMediaIsRefusedWithItsClassAndTheLaneExportsTheOthers() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 7)) {
            List<SimulatedOrg.Conversation> calls = environment.org().conversations().stream()
                    .filter(c -> c.kind().equals("voice") && c.recordings().size() == 1).limit(6).toList();
            assertEquals(6, calls.size(), "the seed has single-recording calls");
            Map<MediaTrap, String> expectedClass = Map.of(MediaTrap.OTHER_HOST, "media-refused",
                    MediaTrap.REDIRECT_TO_OTHER_HOST, "media-refused", MediaTrap.STALL, "media-stalled",
                    MediaTrap.OVERSIZED, "media-too-large");
            Map<String, MediaTrap> trapped = new LinkedHashMap<>();
            MediaTrap[] traps = MediaTrap.values();
            for (int i = 0; i < traps.length; i++) {
                String recordingId = calls.get(i).recordings().get(0).id();
                environment.genesys().withMediaTrap(recordingId, traps[i]);
                trapped.put(recordingId, traps[i]);
            }
            environment.startExporter(Map.of("exporter.lane.voice.idle-timeout-ms", "2000",
                    "exporter.lane.voice.max-mib", "1"));
            for (SimulatedOrg.Conversation call : calls) {
                assertEquals(202, environment.postWebhook(simpleWebhook(call.id(), false)).statusCode());
            }

            for (SimulatedOrg.Conversation call : calls.subList(traps.length, calls.size())) {
                JsonNode custody = environment.awaitCustody(call.id(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(60));
                assertEquals(environment.org().sha256Of(call.recordings().get(0).id()),
                        custody.path("recordings").get(0).path("sha256").asText(), "the lane exports the others");
            }
            ObjectMapper json = new ObjectMapper();
            for (SimulatedOrg.Conversation call : calls.subList(0, traps.length)) {
                JsonNode custody = environment.awaitCustody(call.id(), c -> "FAILED".equals(
                        c.path("recordings").path(0).path("state").asText()), Duration.ofSeconds(60));
                JsonNode item = custody.path("recordings").get(0);
                String recordingId = item.path("recordingId").asText();
                assertTrue(item.path("s3Key").isNull(), "nothing stored: " + item);
                assertTrue(environment.objectsUnder("genesys/").stream()
                        .noneMatch(object -> object.key().contains(recordingId)), "no object in S3 for " + recordingId);
                List<JsonNode> entries = AuditTrail.lines(environment.dir().resolve("audit")).stream()
                        .map(line -> read(json, line))
                        .filter(entry -> entry.path("recordingId").asText().equals(recordingId)).toList();
                List<JsonNode> failed = entries.stream().filter(entry -> entry.path("event").asText().equals("FAILED"))
                        .toList();
                assertEquals(1, failed.size(), "the refusal is audited once");
                assertTrue(entries.stream().noneMatch(entry -> entry.path("detail").path("failureClass").asText()
                        .startsWith("media-") && !entry.path("event").asText().equals("FAILED")),
                        "a refusal is never retried, inline or later: " + entries);
                assertEquals(expectedClass.get(trapped.get(recordingId)), failed.get(0).path("detail")
                        .path("failureClass").asText(), trapped.get(recordingId) + ": " + failed.get(0));
            }
            assertEquals(Map.of("PENDING", 4L), environment.exporterLedger().incidents().incidentOutboxCounts(),
                    "each refusal waits for its incident (no ServiceNow configured here)");
        }
    }

    @Test
    void aDiskTooFullToSpoolDefersTheDownloadAndStoresNothingAndOrphanedSpoolFilesAreSwept() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(20, 7)) {
            SimulatedOrg.Conversation call = environment.org().conversations().stream()
                    .filter(c -> c.kind().equals("voice")).findFirst().orElseThrow();
            java.nio.file.Path orphan = environment.dir().resolve("spool/test-node/left-by-a-crash.part");
            java.nio.file.Files.createDirectories(orphan.getParent());
            java.nio.file.Files.write(orphan, new byte[4096]);
            // keep more free than any disk has: nothing may be spooled
            environment.startExporter(Map.of("exporter.spool.min-free-mib", Long.toString(1L << 30)));
            assertTrue(java.nio.file.Files.notExists(orphan), "a spool file left by a dead process is deleted at start");
            assertEquals(202, environment.postWebhook(simpleWebhook(call.id(), false)).statusCode());
            JsonNode custody = environment.awaitCustody(call.id(), c -> c.path("recordings").size() > 0
                    && c.path("recordings").findValuesAsText("state").stream().allMatch("DEFERRED"::equals),
                    Duration.ofSeconds(60));
            assertTrue(custody.path("recordings").get(0).path("lastError").asText().contains("EXPORTER_SPOOL_MIN_FREE_MIB"),
                    custody.toString());
            assertEquals(List.of(), environment.objectsUnder("genesys/year"), "nothing stored");
            assertTrue(String.join("\n", AuditTrail.lines(environment.dir().resolve("audit")))
                    .contains("\"failureClass\":\"spool-full\""), "deferred with its own class");
        }
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
