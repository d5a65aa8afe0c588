package io.recordingexporter.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.failures.FailureClass;
import io.recordingexporter.ledger.IncidentQueue.IncidentBatch;
import io.recordingexporter.ledger.IncidentQueue.OutboxItem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Table API payloads: one incident per lane and failure class naming every recording, then work notes. */
class IncidentPayloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IncidentBatch BATCH = new IncidentBatch(
            FailureClass.MEDIA_STALLED.incidentCorrelationId("screen"), "screen", "media-stalled", new ArrayList<>(List.of(
                    new OutboxItem("o1", "r1", "c1", "no byte for 60 s", 1, "t1"),
                    new OutboxItem("o2", "r2", "c2", "no byte for 60 s", 1, "t2"))));

    @Test
    void aNewIncidentNamesItsLaneClassRecordingsAndHowToRequeueThem() throws Exception {
        JsonNode incident = JSON.readTree(IncidentPayload.newIncident(BATCH, "Contact Centre Ops"));
        assertEquals("recording-exporter:screen:media-stalled", incident.path("correlation_id").asText());
        assertEquals("Recording Exporter: 2 recording(s) failed in lane screen (media-stalled)",
                incident.path("short_description").asText());
        String description = incident.path("description").asText();
        assertTrue(description.contains("- recording r1 (conversation c1): no byte for 60 s"), description);
        assertTrue(description.contains("- recording r2 (conversation c2)"), description);
        assertTrue(description.contains("POST /recordings/{recordingId}/retry"), description);
        assertEquals("Contact Centre Ops", incident.path("assignment_group").asText());
        assertFalse(JSON.readTree(IncidentPayload.newIncident(BATCH, "")).has("assignment_group"),
                "no assignment group unless one is configured");
    }

    @Test
    void laterFailuresAreAWorkNoteAndTheLookupFindsTheOpenIncident() throws Exception {
        String note = JSON.readTree(IncidentPayload.workNote(BATCH)).path("work_notes").asText();
        assertTrue(note.startsWith("2 more recording(s) failed:\n- recording r1"), note);
        String query = URLDecoder.decode(IncidentPayload.activeIncidentQuery(BATCH), StandardCharsets.UTF_8);
        assertTrue(query.contains("active=true^correlation_id=recording-exporter:screen:media-stalled"), query);
        assertEquals("abc", IncidentPayload.activeIncident("{\"result\": [{\"sys_id\": \"abc\", \"number\": \"INC1\"}]}"));
        assertNull(IncidentPayload.activeIncident("{\"result\": []}"), "none open");
    }
}
