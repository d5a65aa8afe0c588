package io.recordingexporter.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Walks the audit trail from its first entry and checks each link of the chain: {@code seq} is the one before plus
 * one, {@code prevHash} is the hash of the entry before, and {@code hash} is SHA-256(prevHash ‖ canonical entry).
 * The first entry that fails any of these is reported with its {@code seq} (for a deleted line: the {@code seq} that
 * is missing; for two swapped lines: the first of them) and why; nothing after it can be trusted.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditVerifier() {}

    /** What a walk of the chain found. {@code brokenSeq} is null when the whole chain holds. */
    public record Verdict(long entries, Long brokenSeq, String reason, String lastHash) {

        public boolean intact() {
            return brokenSeq == null;
        }

        @Override
        public String toString() {
            return intact() ? "OK: " + entries + " entries, chain intact, last hash " + lastHash
                    : "BROKEN at seq " + brokenSeq + ": " + reason + " (" + entries + " entries before it are intact)";
        }
    }

    public static Verdict verify(Path dir) throws IOException {
        Path file = dir.resolve(AuditTrail.FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no audit trail at " + file.toAbsolutePath());
        }
        long expectedSeq = 1;
        String prevHash = AuditTrail.GENESIS_HASH;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    return broken(expectedSeq, "an empty line where entry " + expectedSeq + " should be", prevHash);
                }
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(line);
                } catch (IOException e) {
                    return broken(expectedSeq, "entry " + expectedSeq + " is not JSON: " + e.getMessage(), prevHash);
                }
                if (!(parsed instanceof ObjectNode entry)) {
                    return broken(expectedSeq, "entry " + expectedSeq + " is not a JSON object", prevHash);
                }
                long seq = entry.path("seq").asLong(-1);
                if (seq != expectedSeq) {
                    return broken(expectedSeq, "expected seq " + expectedSeq + " but found " + seq
                            + (seq > expectedSeq ? " (an entry is missing or out of order)" : " (an entry is repeated or out of order)"), prevHash);
                }
                if (!prevHash.equals(entry.path("prevHash").asText())) {
                    return broken(seq, "prevHash does not match the hash of entry " + (seq - 1), prevHash);
                }
                String recomputed = AuditTrail.hashOf(prevHash, AuditTrail.canonical(entry));
                if (!recomputed.equals(entry.path("hash").asText())) {
                    return broken(seq, "its content does not match its hash (the entry was altered)", prevHash);
                }
                prevHash = recomputed;
                expectedSeq++;
            }
        }
        return new Verdict(expectedSeq - 1, null, null, prevHash);
    }

    private static Verdict broken(long seq, String reason, String lastGoodHash) {
        return new Verdict(seq - 1, seq, reason, lastGoodHash);
    }
}
