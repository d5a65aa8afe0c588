package io.recordingexporter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the exporter's audit trail says happened, and when: the benchmark's clock for the exporter. */
final class AuditTimeline {

    private final Map<String, Instant> firstReceivedByConversation = new HashMap<>();
    private final Map<String, Instant> storedByRecording = new HashMap<>();
    private final Map<String, Long> storedBytesByRecording = new HashMap<>();
    private final Map<String, String> failedByRecording = new HashMap<>();

    private AuditTimeline() {}

    static AuditTimeline read(Path auditDir) throws IOException {
        AuditTimeline timeline = new AuditTimeline();
        ObjectMapper json = new ObjectMapper();
        if (!Files.isDirectory(auditDir)) {
            return timeline;
        }
        for (Path file : AuditTrail.files(auditDir)) {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || !line.endsWith("}")) {
                    continue; // the line being written right now
                }
                JsonNode entry = json.readTree(line);
                Instant at = Instant.parse(entry.path("ts").asText());
                String conversationId = entry.path("conversationId").asText(null);
                String recordingId = entry.path("recordingId").asText(null);
                switch (entry.path("event").asText()) {
                    case "RECEIVED" -> timeline.firstReceivedByConversation.putIfAbsent(conversationId, at);
                    case "STORED" -> {
                        timeline.storedByRecording.putIfAbsent(recordingId, at);
                        timeline.storedBytesByRecording.put(recordingId, entry.path("detail").path("sizeBytes").asLong());
                    }
                    case "FAILED" -> timeline.failedByRecording.put(recordingId, entry.path("detail").toString());
                    default -> { }
                }
            }
        }
        return timeline;
    }

    Instant storedAt(String recordingId) {
        return storedByRecording.get(recordingId);
    }

    long storedBytes(String recordingId) {
        return storedBytesByRecording.getOrDefault(recordingId, 0L);
    }

    Instant receivedAt(String conversationId) {
        return firstReceivedByConversation.get(conversationId);
    }

    boolean failed(String recordingId) {
        return failedByRecording.containsKey(recordingId);
    }

    /** How many of these recordings are STORED or FAILED. */
    long settled(List<String> recordingIds) {
        return recordingIds.stream().filter(id -> storedByRecording.containsKey(id) || failedByRecording.containsKey(id))
                .count();
    }
}
