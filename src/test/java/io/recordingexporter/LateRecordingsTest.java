package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.allStored;
import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Genesys lists a screen recording only once the agent's desktop has uploaded it, after the call: a conversation
 * listed before that is listed again (its screen-share session promises a recording) until the recording appears, and
 * the recording is exported like any other.
 */
class LateRecordingsTest {

    @Test
    void aScreenRecordingListedAfterTheFirstListingIsExportedToo() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(60, 7)) {
            environment.genesys().withLateScreenDelay(Duration.ofSeconds(6));
            List<SimulatedOrg.Conversation> late = environment.org().conversations().stream()
                    .filter(c -> c.recordings().stream().anyMatch(GenesysSimulator::uploadedLate)).limit(3).toList();
            assertTrue(late.size() >= 2, "the seed has calls whose screen recording comes late");
            environment.startExporter(Map.of("exporter.relist.missing-seconds", "2"));
            for (SimulatedOrg.Conversation conversation : late) {
                assertEquals(202, environment.postWebhook(simpleWebhook(conversation.id(), false)).statusCode());
            }
            // listed once while the screen recording is not there yet: the conversation waits for it
            JsonNode waiting = environment.awaitCustody(late.get(0).id(), custody -> "EXPANDED".equals(
                    custody.path("state").asText()) && custody.path("awaitingMedia").toString().contains("screen"),
                    Duration.ofSeconds(30));
            assertTrue(waiting.path("nextListingAt").isTextual(), "its next listing is scheduled: " + waiting);

            for (SimulatedOrg.Conversation conversation : late) {
                JsonNode custody = environment.awaitCustody(conversation.id(), c -> allStored(c)
                        && c.path("recordings").size() == conversation.recordings().size(), Duration.ofSeconds(60));
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals(environment.org().sha256Of(item.path("recordingId").asText()), item.path("sha256").asText(),
                            "bytes of " + item);
                }
                assertTrue(custody.path("awaitingMedia").isEmpty(), "nothing awaited any more: " + custody);
            }
        }
    }
}
