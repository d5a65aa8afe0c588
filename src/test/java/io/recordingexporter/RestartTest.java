package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Accepted work is never lost: recordings queued when the exporter stops are exported after it starts again. */
class RestartTest {

    /** Objects of recordings (media and sidecars), not the audit digests. */
    private static long exported(ExporterTestEnvironment environment) {
        return environment.objectsUnder("").stream().filter(object -> !object.key().contains("/_audit/")).count();
    }

    @Test
    void pendingRecordingsAreExportedAfterARestart() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(8, 23)) {
            // first run: the lanes' first poll is an hour away, so recordings are queued but none is exported
            environment.startExporter(Map.of("exporter.lane.poll-interval-ms", "3600000"));
            List<SimulatedOrg.Conversation> conversations = environment.org().conversations().subList(0, 4);
            StringBuilder batch = new StringBuilder("[");
            for (SimulatedOrg.Conversation conversation : conversations) {
                batch.append(batch.length() > 1 ? "," : "").append(ExporterTestEnvironment.simpleWebhook(conversation.id(), false));
            }
            assertEquals(202, environment.postWebhook(batch.append("]").toString()).statusCode(), "batch accepted");
            for (SimulatedOrg.Conversation conversation : conversations) {
                JsonNode custody = environment.awaitCustody(conversation.id(),
                        c -> "EXPANDED".equals(c.path("state").asText()), Duration.ofSeconds(30));
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals("PENDING", item.path("state").asText(), "queued, not yet exported, before the stop");
                }
            }
            environment.stopExporter();
            assertEquals(0, exported(environment), "nothing reached S3 before the restart");
            assertEquals(1, environment.objectsUnder("genesys/_audit/digests/").size(), "the stop wrote an audit digest");

            environment.startExporter();
            int recordings = 0;
            for (SimulatedOrg.Conversation conversation : conversations) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(60));
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals(environment.org().sha256Of(item.path("recordingId").asText()),
                            environment.sha256OfObject(item.path("s3Key").asText()), "exported whole after the restart");
                    recordings++;
                }
            }
            assertEquals(recordings * 2, exported(environment), "each recording once, with its sidecar");
        }
    }
}
