package io.recordingexporter.custody;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering with any one line of the trail makes the verifier fail at exactly that entry's seq. */
class AuditVerifierTest {

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void tenEntries() throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, Clock.systemUTC())) {
            for (int i = 1; i <= 10; i++) {
                trail.append(i % 2 == 0 ? "STORED" : "ROUTED", "c" + i, "r" + i, "voice", Map.of("sha256", "ab" + i));
            }
        }
        file = dir.resolve(AuditTrail.FILE_NAME);
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file));
    }

    private void write(List<String> lines) throws Exception {
        Files.write(file, lines);
    }

    @Test
    void anUntouchedTrailIsIntact() throws Exception {
        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertTrue(verdict.intact(), verdict.toString());
        assertEquals(10, verdict.entries());
    }

    @Test
    void anEditedLineFailsAtItsSeq() throws Exception {
        List<String> lines = lines();
        lines.set(6, lines.get(6).replace("ab7", "ff7"));
        write(lines);
        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertEquals(7L, verdict.brokenSeq(), verdict.toString());
        assertTrue(verdict.reason().contains("altered"), verdict.reason());
    }

    @Test
    void anEditedLineWithItsHashRecomputedFailsAtTheNextSeq() throws Exception {
        // rewriting an entry and its own hash still breaks the link the next entry holds
        List<String> lines = lines();
        com.fasterxml.jackson.databind.node.ObjectNode entry = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(3));
        entry.put("event", "FAILED");
        entry.put("hash", AuditTrail.hashOf(entry.path("prevHash").asText(), AuditTrail.canonical(entry)));
        lines.set(3, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(entry));
        write(lines);
        assertEquals(5L, AuditVerifier.verify(dir).brokenSeq());
    }

    @Test
    void aDeletedLineFailsAtTheMissingSeq() throws Exception {
        List<String> lines = lines();
        lines.remove(4);
        write(lines);
        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertEquals(5L, verdict.brokenSeq(), verdict.toString());
        assertTrue(verdict.reason().contains("missing"), verdict.reason());
    }

    @Test
    void twoSwappedLinesFailAtTheFirstOfThem() throws Exception {
        List<String> lines = lines();
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        write(lines);
        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertEquals(3L, verdict.brokenSeq(), verdict.toString());
    }

    @Test
    void theCommandExitsZeroWhenIntactOneWhenBrokenTwoWhenUnreadable() throws Exception {
        assertEquals(0, io.recordingexporter.RecordingExporter.verifyAudit(new String[] {dir.toString()}));
        List<String> lines = lines();
        lines.remove(9);
        lines.add(lines.get(0));
        write(lines);
        assertEquals(1, io.recordingexporter.RecordingExporter.verifyAudit(new String[] {dir.toString()}));
        assertEquals(2, io.recordingexporter.RecordingExporter.verifyAudit(new String[] {dir.resolve("nowhere").toString()}));
    }
}
