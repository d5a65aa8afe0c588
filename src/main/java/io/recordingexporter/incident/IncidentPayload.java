package io.recordingexporter.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.ledger.IncidentQueue.IncidentBatch;
import io.recordingexporter.ledger.IncidentQueue.OutboxItem;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What ServiceNow's Table API is sent and what its replies say: one incident per correlation id, listing each failed
 * recording with its error and how to re-queue it, later failures as work notes on the open one.
 */
final class IncidentPayload {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentPayload() {}

    /** The query that finds the open incident of this correlation id. */
    static String activeIncidentQuery(IncidentBatch batch) {
        return "sysparm_query=" + URLEncoder.encode("active=true^correlation_id=" + batch.correlationId(),
                StandardCharsets.UTF_8) + "&sysparm_fields=sys_id,number&sysparm_limit=1";
    }

    /** The sys_id of the active incident in a Table API lookup reply, or null when there is none. */
    static String activeIncident(String lookupReply) throws IOException {
        JsonNode first = JSON.readTree(lookupReply).path("result").path(0);
        return first.isMissingNode() || first.path("sys_id").asText("").isBlank() ? null : first.path("sys_id").asText();
    }

    static String newIncident(IncidentBatch batch, String assignmentGroup) throws IOException {
        ObjectNode incident = JSON.createObjectNode();
        incident.put("short_description", "Recording Exporter: " + batch.items().size() + " recording(s) failed in lane "
                + batch.lane() + " (" + batch.failureClass() + ")");
        incident.put("description", "Recordings that could not be exported to S3 and are FAILED in the ledger. "
                + "After fixing the cause, re-queue each with POST /recordings/{recordingId}/retry.\n\n" + listing(batch));
        incident.put("correlation_id", batch.correlationId());
        incident.put("category", "software");
        if (!assignmentGroup.isBlank()) {
            incident.put("assignment_group", assignmentGroup);
        }
        return JSON.writeValueAsString(incident);
    }

    static String workNote(IncidentBatch batch) throws IOException {
        ObjectNode update = JSON.createObjectNode();
        update.put("work_notes", batch.items().size() + " more recording(s) failed:\n" + listing(batch));
        return JSON.writeValueAsString(update);
    }

    private static String listing(IncidentBatch batch) {
        StringBuilder text = new StringBuilder();
        for (OutboxItem item : batch.items()) {
            text.append("- recording ").append(item.recordingId()).append(" (conversation ").append(item.conversationId())
                    .append("): ").append(item.error()).append('\n');
        }
        return text.toString();
    }
}
