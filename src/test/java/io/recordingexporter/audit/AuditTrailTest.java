package io.recordingexporter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
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

    @Test
    void aTornLastLineIsCutAtStartTheRepairIsAuditedAndTheChainVerifies(@TempDir Path dir) throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, Clock.systemUTC())) {
            trail.append("RECEIVED", "c1", null, null, Map.of("intakeSource", "webhook"));
            trail.append("STORED", "c1", "r1", "voice", Map.of("sha256", "ab"));
        }
        Path file = AuditTrail.files(dir).get(0);
        long whole = Files.size(file);
        byte[] torn = "{\"seq\":3,\"ts\":\"2026-11-29T10:00:00Z\",\"event\":\"STOR".getBytes(StandardCharsets.UTF_8);
        Files.write(file, torn, StandardOpenOption.APPEND); // the process died mid-write

        try (AuditTrail reopened = new AuditTrail(dir, Clock.systemUTC())) {
            reopened.append("ROUTED", "c2", "r2", "voice", Map.of("media", "audio"));
        }
        List<String> lines = AuditTrail.lines(dir);
        assertEquals(4, lines.size(), "two entries, the repair, and the next entry: " + lines);
        ObjectMapper json = new ObjectMapper();
        ObjectNode repair = (ObjectNode) json.readTree(lines.get(2));
        assertEquals("AUDIT_REPAIRED", repair.path("event").asText());
        assertEquals(3, repair.path("seq").asInt(), "the chain goes on from the last whole entry");
        assertEquals(torn.length, repair.path("detail").path("droppedBytes").asInt());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(torn)),
                repair.path("detail").path("droppedSha256").asText(), "what was cut is named by its SHA-256");
        assertEquals(whole, repair.path("detail").path("keptBytes").asLong());

        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertTrue(verdict.intact(), verdict.toString());
        assertEquals(1, verdict.repairs().size());
        assertTrue(verdict.toString().contains("repair"), "verify-audit shows the repair: " + verdict);
    }

    @Test
    void aTrailThatEndsCleanlyIsNotRepaired(@TempDir Path dir) throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, Clock.systemUTC())) {
            trail.append("RECEIVED", "c1", null, null, Map.of("intakeSource", "webhook"));
        }
        try (AuditTrail reopened = new AuditTrail(dir, Clock.systemUTC())) {
            assertEquals(1, reopened.head().seq(), "nothing cut, nothing added");
        }
        assertEquals(1, AuditTrail.lines(dir).size());
    }
}
