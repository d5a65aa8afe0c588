package io.recordingexporter.custody;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {

    @Test
    void chainContinuesAcrossRestartsAndEachHashCoversItsEntry(@TempDir Path dir) throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, Clock.systemUTC())) {
            trail.append("RECEIVED", "c1", null, null, Map.of("intakeSource", "webhook"));
            trail.append("ROUTED", "c1", "r1", "voice", Map.of("media", "audio"));
        }
        try (AuditTrail reopened = new AuditTrail(dir, Clock.systemUTC())) {
            reopened.append("STORED", "c1", "r1", "voice", Map.of("sha256", "ab"));
        }
        List<String> lines = AuditTrail.lines(dir);
        assertEquals(3, lines.size(), "three entries");
        ObjectMapper json = new ObjectMapper();
        String previous = AuditTrail.GENESIS_HASH;
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode entry = (ObjectNode) json.readTree(lines.get(i));
            assertEquals(i + 1, entry.path("seq").asInt(), "sequence continues after reopening");
            assertEquals(previous, entry.path("prevHash").asText(), "entry " + (i + 1) + " chains to the one before");
            assertEquals(AuditTrail.hashOf(previous, AuditTrail.canonical(entry)), entry.path("hash").asText(),
                    "hash = SHA-256(prevHash ‖ canonical entry)");
            previous = entry.path("hash").asText();
        }
    }
}
