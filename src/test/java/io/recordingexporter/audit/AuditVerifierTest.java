package io.recordingexporter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.VerifierSources;
import io.recordingexporter.Verifiers;
import io.recordingexporter.custody.ObjectEncryption;
import io.recordingexporter.custody.ObjectLock;
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
    private final io.recordingexporter.MutableClock clock =
            new io.recordingexporter.MutableClock(java.time.Instant.parse("2026-11-23T10:00:00Z"));

    @BeforeEach
    void tenEntries() throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, clock)) {
            for (int i = 1; i <= 10; i++) {
                trail.append(i % 2 == 0 ? "STORED" : "ROUTED", "c" + i, "r" + i, "voice", Map.of("sha256", "ab" + i));
            }
        }
        file = dir.resolve("audit-2026-11-23.jsonl");
        assertEquals(List.of(file), AuditTrail.files(dir), "one file for the day");
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
        VerifierSources environment = VerifierSources.fromConfiguration();
        assertEquals(0, Verifiers.verifyAudit(new String[] {dir.toString(), "--no-digests"}, environment));
        List<String> lines = lines();
        lines.remove(9);
        lines.add(lines.get(0));
        write(lines);
        assertEquals(1, Verifiers.verifyAudit(new String[] {dir.toString(), "--no-digests"}, environment));
        assertEquals(2, Verifiers.verifyAudit(new String[] {dir.resolve("nowhere").toString(), "--no-digests"}, environment));
    }

    /** Digests written by {@link AuditDigests} to S3Proxy, read back as verify-audit reads them. */
    static List<AuditVerifier.DigestObject> digestsIn(software.amazon.awssdk.services.s3.S3Client s3) {
        List<AuditVerifier.DigestObject> digests = new ArrayList<>();
        for (var object : s3.listObjectsV2(request -> request.bucket("audit").prefix(AuditDigests.digestsPrefix("genesys")))
                .contents()) {
            digests.add(new AuditVerifier.DigestObject(object.key(),
                    s3.getObjectAsBytes(request -> request.bucket("audit").key(object.key())).asByteArray()));
        }
        return digests;
    }

    static software.amazon.awssdk.services.s3.S3Client client(io.recordingexporter.sandbox.SandboxS3 server) {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .endpointOverride(java.net.URI.create(server.endpoint())).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.EU_WEST_2)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                io.recordingexporter.sandbox.SandboxS3.ACCESS_KEY, io.recordingexporter.sandbox.SandboxS3.SECRET_KEY)))
                .build();
    }

    /** Rewrites entry {@code index} and every hash after it, so that the chain alone still holds. */
    private void rewriteConsistently(int index) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> lines = lines();
        String prevHash = index == 0 ? AuditTrail.GENESIS_HASH : json.readTree(lines.get(index - 1)).path("hash").asText();
        for (int i = index; i < lines.size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode entry =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(lines.get(i));
            if (i == index) {
                entry.put("event", "FAILED");
            }
            entry.put("prevHash", prevHash);
            prevHash = AuditTrail.hashOf(prevHash, AuditTrail.canonical(entry));
            entry.put("hash", prevHash);
            lines.set(i, json.writeValueAsString(entry));
        }
        write(lines);
    }

    @Test
    void aTrailRewrittenConsistentlyOrCutShortNoLongerMatchesItsDigestsInS3() throws Exception {
        try (io.recordingexporter.sandbox.SandboxS3 server = io.recordingexporter.sandbox.SandboxS3.start(dir.resolve("s3"),
                "audit", io.recordingexporter.sandbox.Sandbox.freePort());
                software.amazon.awssdk.services.s3.S3Client s3 = client(server)) {
            AuditDigests digests;
            try (AuditTrail trail = new AuditTrail(dir, clock)) {
                Files.writeString(dir.resolve(AuditTrail.NODE_ID_FILE), "node-a\n");
                digests = new AuditDigests(s3, "audit", "genesys", "node-a", trail, dir, new ObjectEncryption("", false),
                        new ObjectLock(s3, "audit", "off"), clock);
                AuditDigests.Published first = digests.publish();
                assertEquals(10, first.lastSeq());
                trail.record("DIGEST_PUBLISHED", first);
                trail.append("STORED", "c11", "r11", "voice", Map.of("sha256", "ab11"));
                digests.publish();
            }
            List<AuditVerifier.DigestObject> inS3 = digestsIn(s3);
            assertEquals(2, inS3.size());
            assertTrue(AuditVerifier.verify(dir, inS3).intact(), AuditVerifier.verify(dir, inS3).toString());

            List<String> original = lines();
            rewriteConsistently(3);
            assertTrue(AuditVerifier.verify(dir).intact(), "the chain alone cannot tell");
            AuditVerifier.Verdict rewritten = AuditVerifier.verify(dir, inS3);
            assertEquals(10L, rewritten.brokenSeq(), rewritten.toString());
            assertTrue(rewritten.reason().contains("digest"), rewritten.reason());

            write(original.subList(0, 9));
            AuditVerifier.Verdict cut = AuditVerifier.verify(dir, inS3);
            assertEquals(10L, cut.brokenSeq(), cut.toString());
            assertTrue(cut.reason().contains("entries removed"), cut.reason());

            write(original);
            AuditVerifier.Verdict missingDigest = AuditVerifier.verify(dir, List.of(inS3.get(1)));
            assertTrue(missingDigest.intact(), "a lone digest has nothing to chain to: " + missingDigest);
            byte[] altered = new String(inS3.get(0).bytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("\"entryCount\" : 10", "\"entryCount\" : 11").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AuditVerifier.Verdict alteredDigest = AuditVerifier.verify(dir,
                    List.of(new AuditVerifier.DigestObject(inS3.get(0).key(), altered), inS3.get(1)));
            assertTrue(!alteredDigest.intact() && alteredDigest.reason().contains("does not chain"), alteredDigest.toString());
        }
    }

    /**
     * Replicas write their digests beside each other under one prefix: each trail is checked against its own node's
     * digests, found by the node its folder names; mixed together they would not chain.
     */
    @Test
    void eachReplicasTrailIsCheckedAgainstItsOwnDigestsBesideTheOthers() throws Exception {
        Path other = Files.createDirectories(dir.resolve("replica-b"));
        try (io.recordingexporter.sandbox.SandboxS3 server = io.recordingexporter.sandbox.SandboxS3.start(
                dir.resolve("s3"), "audit", io.recordingexporter.sandbox.Sandbox.freePort());
                software.amazon.awssdk.services.s3.S3Client s3 = client(server);
                AuditTrail trailA = new AuditTrail(dir, clock);
                AuditTrail trailB = new AuditTrail(other, clock)) {
            Files.writeString(dir.resolve(AuditTrail.NODE_ID_FILE), "node-a\n");
            Files.writeString(other.resolve(AuditTrail.NODE_ID_FILE), "node-b\n");
            AuditDigests digestsA = new AuditDigests(s3, "audit", "genesys", "node-a", trailA, dir,
                    new ObjectEncryption("", false), new ObjectLock(s3, "audit", "off"), clock);
            AuditDigests digestsB = new AuditDigests(s3, "audit", "genesys", "node-b", trailB, other,
                    new ObjectEncryption("", false), new ObjectLock(s3, "audit", "off"), clock);
            trailB.append("ROUTED", "c21", "r21", "voice", Map.of("media", "audio"));
            for (int round = 0; round < 2; round++) {
                trailA.record("DIGEST_PUBLISHED", digestsA.publish());
                clock.advance(java.time.Duration.ofSeconds(1));
                trailB.record("DIGEST_PUBLISHED", digestsB.publish());
                clock.advance(java.time.Duration.ofSeconds(1));
            }
            List<AuditVerifier.DigestObject> inS3 = digestsIn(s3);
            assertEquals(4, inS3.size());
            assertTrue(inS3.stream().anyMatch(d -> d.key().startsWith("genesys/_audit/digests/node-b/")),
                    "each node's digests in a folder of its own: " + inS3.stream().map(d -> d.key()).toList());
            AuditVerifier.Verdict a = AuditVerifier.verify(dir, inS3);
            AuditVerifier.Verdict b = AuditVerifier.verify(other, inS3);
            assertTrue(a.intact() && b.intact(), a + " / " + b);
            Files.delete(dir.resolve(AuditTrail.NODE_ID_FILE));
            AuditVerifier.Verdict unnamed = AuditVerifier.verify(dir, inS3);
            assertTrue(!unnamed.intact() && unnamed.reason().contains("does not chain"),
                    "a folder that names no node is held to every digest, which do not form one chain: " + unnamed);
        }
    }

    @Test
    void dailyFilesAreOneChainAndAMissingDayBreaksIt() throws Exception {
        clock.advance(java.time.Duration.ofDays(1));
        try (AuditTrail trail = new AuditTrail(dir, clock)) {
            trail.append("ROUTED", "c11", "r11", "voice", Map.of("media", "audio"));
            clock.advance(java.time.Duration.ofDays(1));
            trail.append("STORED", "c11", "r11", "voice", Map.of("sha256", "ab11"));
        }
        List<Path> files = AuditTrail.files(dir);
        assertEquals(3, files.size(), files.toString());
        assertEquals(dir.resolve("audit-2026-11-24.jsonl"), files.get(1));
        AuditVerifier.Verdict verdict = AuditVerifier.verify(dir);
        assertTrue(verdict.intact() && verdict.entries() == 12, "the chain runs across the days: " + verdict);

        Files.delete(files.get(1));
        AuditVerifier.Verdict missingDay = AuditVerifier.verify(dir);
        assertEquals(11L, missingDay.brokenSeq(), missingDay.toString());
    }
}
