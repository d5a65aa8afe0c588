package io.recordingexporter.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.custody.Digests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks the audit trail from its first entry and checks each link of the chain: {@code seq} is the one before plus
 * one, {@code prevHash} is the hash of the entry before, and {@code hash} is SHA-256(prevHash ‖ canonical entry).
 * The first entry that fails any of these is reported with its {@code seq} (for a deleted line: the {@code seq} that
 * is missing; for two swapped lines: the first of them) and why; nothing after it can be trusted.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditVerifier() {}

    /**
     * What a walk of the chain found. {@code brokenSeq} is null when the whole chain holds; {@code repairs} are the
     * torn tails the service cut off at a start (AUDIT_REPAIRED entries, themselves in the chain).
     */
    public record Verdict(long entries, Long brokenSeq, String reason, String lastHash, List<String> repairs) {

        public Verdict(long entries, Long brokenSeq, String reason, String lastHash) {
            this(entries, brokenSeq, reason, lastHash, List.of());
        }

        public boolean intact() {
            return brokenSeq == null;
        }

        @Override
        public String toString() {
            String verdict = intact() ? "OK: " + entries + " entries, chain intact, last hash " + lastHash
                    : "BROKEN at seq " + brokenSeq + ": " + reason + " (" + entries + " entries before it are intact)";
            return repairs.isEmpty() ? verdict : verdict + "; " + repairs.size() + " repair(s) of a torn tail: "
                    + String.join("; ", repairs);
        }
    }

    /** A digest object as read from S3: its key and exact bytes. */
    public record DigestObject(String key, byte[] bytes) {}

    /** The node a digest names ({@code "?"} when it names none or is not JSON). */
    public static String nodeOf(DigestObject digest) {
        try {
            return JSON.readTree(digest.bytes()).path("nodeId").asText("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The chain alone, without digests. */
    public static Verdict verify(Path dir) throws IOException {
        return verify(dir, List.of());
    }

    /**
     * The chain, and the digests in S3 against it: those of the trail's node (the folder's {@code node-id}; every
     * digest where the folder names none), which must chain to each other (each names the key and SHA-256 of the one
     * before), and the entry each names must be in the trail with the hash it recorded. A trail
     * rewritten consistently after an edit, or cut short, fails here at the first seq a digest vouches for.
     */
    public static Verdict verify(Path dir, List<DigestObject> digests) throws IOException {
        List<Path> files = AuditTrail.files(dir);
        if (files.isEmpty()) {
            throw new IOException("no audit trail in " + dir.toAbsolutePath());
        }
        try (ChainReader lines = ChainReader.of(files)) {
            return verify(AuditTrail.nodeIdOf(dir), lines, digests);
        }
    }

    /**
     * The chain of {@code node} read from {@code lines} (a trail's files, or the ledger's copy of a replica's chain),
     * against the digests in S3 of that node (every digest when {@code node} is null: a trail from before digests
     * named their node).
     */
    public static Verdict verify(String node, ChainReader lines, List<DigestObject> digests) throws IOException {
        // the digests of this chain's node (and those from before digests named their node), in the chain's order
        List<Map.Entry<DigestObject, JsonNode>> ours = new java.util.ArrayList<>();
        for (DigestObject digest : digests) {
            JsonNode parsed;
            try {
                parsed = JSON.readTree(digest.bytes());
            } catch (IOException e) {
                return new Verdict(0, 0L, "digest " + digest.key() + " is not JSON", null);
            }
            String digestNode = parsed.path("nodeId").asText(null);
            if (node == null || digestNode == null || node.equals(digestNode)) {
                ours.add(Map.entry(digest, parsed));
            }
        }
        ours.sort(Comparator.comparingLong((Map.Entry<DigestObject, JsonNode> digest) ->
                        digest.getValue().path("lastSeq").asLong(-1))
                .thenComparing(digest -> digest.getValue().path("createdAt").asText(""))
                .thenComparing(digest -> digest.getKey().key()));
        Map<Long, String> vouched = new HashMap<>();
        Map<Long, String> vouchedBy = new HashMap<>();
        long furthest = 0;
        String furthestKey = null;
        DigestObject previous = null;
        for (Map.Entry<DigestObject, JsonNode> next : ours) {
            DigestObject digest = next.getKey();
            JsonNode parsed = next.getValue();
            long lastSeq = parsed.path("lastSeq").asLong(-1);
            String previousKey = parsed.path("previousDigestKey").isNull() ? null : parsed.path("previousDigestKey").asText(null);
            String previousSha = parsed.path("previousDigestSha256").isNull() ? null
                    : parsed.path("previousDigestSha256").asText(null);
            if (previous != null && (!previous.key().equals(previousKey) || !Digests.hex(Digests.sha256(previous.bytes())).equals(previousSha))) {
                return new Verdict(0, lastSeq, "digest " + digest.key() + " does not chain to digest " + previous.key()
                        + " (a digest was removed, replaced or altered)", null);
            }
            String hash = parsed.path("lastEntryHash").asText("");
            if (lastSeq > 0) {
                String earlier = vouched.putIfAbsent(lastSeq, hash);
                if (earlier != null && !earlier.equals(hash)) {
                    return new Verdict(0, lastSeq, "digests " + vouchedBy.get(lastSeq) + " and " + digest.key()
                            + " disagree on entry " + lastSeq, null);
                }
                vouchedBy.putIfAbsent(lastSeq, digest.key());
                if (lastSeq > furthest) {
                    furthest = lastSeq;
                    furthestKey = digest.key();
                }
            }
            previous = digest;
        }
        Verdict chain = walk(lines, vouched, vouchedBy);
        if (chain.intact() && furthest > chain.entries()) {
            return new Verdict(chain.entries(), chain.entries() + 1, "the trail ends at seq " + chain.entries()
                    + " but digest " + furthestKey + " vouches for entries up to " + furthest + " (entries removed)",
                    chain.lastHash(), chain.repairs());
        }
        return chain;
    }

    private static Verdict walk(ChainReader lines, Map<Long, String> vouched, Map<Long, String> vouchedBy)
            throws IOException {
        long expectedSeq = 1;
        String prevHash = AuditTrail.GENESIS_HASH;
        List<String> repairs = new java.util.ArrayList<>();
        // the daily files are one chain: a missing or reordered day breaks it at its first entry
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
            String vouchedHash = vouched.get(seq);
            if (vouchedHash != null && !vouchedHash.equals(recomputed)) {
                return broken(seq, "its hash differs from the one digest " + vouchedBy.get(seq)
                        + " recorded in S3 (the trail was rewritten up to here)", prevHash);
            }
            if (entry.path("event").asText().equals("AUDIT_REPAIRED")) {
                JsonNode detail = entry.path("detail");
                repairs.add("seq " + seq + " cut " + detail.path("droppedBytes").asLong() + " torn bytes (sha256 "
                        + detail.path("droppedSha256").asText() + ") from " + detail.path("file").asText()
                        + " after seq " + detail.path("resumedAfterSeq").asLong());
            }
            prevHash = recomputed;
            expectedSeq++;
        }
        return new Verdict(expectedSeq - 1, null, null, prevHash, List.copyOf(repairs));
    }

    private static Verdict broken(long seq, String reason, String lastGoodHash) {
        return new Verdict(seq - 1, seq, reason, lastGoodHash);
    }
}
