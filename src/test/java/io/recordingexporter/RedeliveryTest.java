package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.SandboxFaults;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Short failures are tried again inline, on the lane's thread, before anything is deferred in the ledger. */
class RedeliveryTest {

    @Test
    void aDroppedDownloadIsRedeliveredInlineAndStoredWithoutADeferral() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 7)) {
            environment.genesys().withFaults(SandboxFaults.parse("drop", Instant.now()))
                    .withTranscodingAfterStart(Duration.ZERO);
            List<SimulatedOrg.Recording> dropped = environment.org().conversations().stream()
                    .flatMap(c -> c.recordings().stream())
                    .filter(r -> Math.floorMod(r.contentSeed(), 10) == 3).limit(3).toList();
            assertFalse(dropped.isEmpty(), "the seed has recordings whose first download the simulator cuts");
            environment.startExporter();
            for (SimulatedOrg.Recording recording : dropped) {
                environment.postWebhook(ExporterTestEnvironment.simpleWebhook(recording.conversationId(), false));
            }
            for (SimulatedOrg.Recording recording : dropped) {
                JsonNode custody = environment.awaitCustody(recording.conversationId(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(60));
                for (JsonNode item : custody.path("recordings")) {
                    if (item.path("recordingId").asText().equals(recording.id())) {
                        assertEquals(1, item.path("attempts").asInt(), "stored within its first claim: " + item);
                        assertEquals(environment.org().sha256Of(recording.id()),
                                environment.sha256OfObject(item.path("s3Key").asText()));
                    }
                }
            }
            String trail = String.join("\n", io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit")));
            for (SimulatedOrg.Recording recording : dropped) {
                assertTrue(trail.lines().anyMatch(line -> line.contains("\"event\":\"RETRY_SCHEDULED\"")
                        && line.contains(recording.id()) && line.contains("\"failureClass\":\"server\"")),
                        "the inline retry of " + recording.id() + " is audited");
                assertFalse(trail.lines().anyMatch(line -> line.contains("\"event\":\"DEFERRED\"")
                        && line.contains(recording.id())), "no deferral for " + recording.id());
            }
        }
    }
}
