package io.recordingexporter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.MutableClock;
import io.recordingexporter.TestPostgres;
import io.recordingexporter.custody.ObjectEncryption;
import io.recordingexporter.custody.ObjectLock;
import io.recordingexporter.ledger.AuditCopies;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.LedgerDatabase;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxS3;
import io.recordingexporter.sandbox.ScratchFolder;
import io.recordingexporter.wiring.LedgerChainCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replicas on a shared PostgreSQL ledger copy their audit chains into it: an entry the ledger relies on is there before
 * the append returns; a replica whose disk is lost gets its trail back under its node id; two processes under one node
 * id are refused; and the chain of a replica that died unanchored is anchored by a survivor, so it verifies from the
 * copy alone against its digests.
 */
class ChainCopyTest {

    private static final Duration SILENT_AFTER = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private HikariDataSource database;
    private AuditCopies copies;

    @BeforeEach
    void sharedLedger() throws Exception {
        database = LedgerDatabase.open(TestPostgres.newDatabase(), TestPostgres.USER, "", 4);
        copies = new AuditCopies(Ledger.open(database, "test", 900, clock).store());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private LedgerChainCopy copyOf(String node) {
        return new LedgerChainCopy(copies, node, SILENT_AFTER, clock);
    }

    @Test
    void anEntryTheLedgerReliesOnIsInTheCopyBeforeTheAppendReturns() throws Exception {
        try (AuditTrail trail = new AuditTrail(dir, clock, copyOf("node-a"))) {
            trail.append("ROUTED", "c1", "r1", "voice", Map.of("media", "audio"));
            assertEquals(null, copies.chain("node-a"), "a routine entry waits for the next copy");
            trail.append("STORED", "c1", "r1", "voice", Map.of("sha256", "ab"));
            assertEquals(2, copies.chain("node-a").lastSeq(), "STORED is copied, with what came before it, at once");
            trail.append("FETCHED", "c2", "r2", "voice", Map.of());
            trail.copyPending();
            assertEquals(3, copies.chain("node-a").lastSeq());
            assertEquals(AuditTrail.lines(dir), copies.lines("node-a", 0, 10).stream().map(AuditCopies.Line::text)
                    .toList(), "the copy holds the lines exactly as written");
        }
    }

    @Test
    void aReplicaWhoseDiskWasLostGetsItsTrailBackAndContinuesTheChain() throws Exception {
        List<String> written;
        try (AuditTrail trail = new AuditTrail(dir, clock, copyOf("node-a"))) {
            for (int i = 1; i <= 5; i++) {
                trail.append("STORED", "c" + i, "r" + i, "voice", Map.of("sha256", "ab" + i));
                clock.advance(Duration.ofHours(10)); // across days: each line goes back to its own day's file
            }
            written = AuditTrail.lines(dir);
        }
        for (Path file : AuditTrail.files(dir)) {
            Files.delete(file);
        }
        try (AuditTrail trail = new AuditTrail(dir, clock, copyOf("node-a"))) {
            assertEquals(written, AuditTrail.lines(dir), "every entry back, as it was");
            assertEquals(3, AuditTrail.files(dir).size(), "in its own day's file");
            trail.append("STORED", "c6", "r6", "voice", Map.of("sha256", "ab6"));
            assertEquals(6, trail.head().seq());
        }
        assertTrue(AuditVerifier.verify(dir).intact());
        assertEquals(6, copies.chain("node-a").lastSeq());
    }

    @Test
    void twoProcessesUnderOneNodeIdAreRefused() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other-volume"));
        try (AuditTrail trail = new AuditTrail(other, clock)) {
            trail.append("ROUTED", "c9", "r9", "voice", Map.of()); // a chain of its own, never copied
        }
        try (AuditTrail first = new AuditTrail(dir, clock, copyOf("node-a"))) {
            first.append("STORED", "c1", "r1", "voice", Map.of("sha256", "ab"));
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new AuditTrail(other, clock, copyOf("node-a")));
            assertTrue(refused.getMessage().contains("two chains under one node id"), refused.getMessage());
            // a second live process that started on an empty volume (and so took node-a's trail back) then writes
            try (AuditTrail second = new AuditTrail(Files.createDirectories(dir.resolve("third")), clock,
                    copyOf("node-a"))) {
                first.append("STORED", "c2", "r2", "voice", Map.of("sha256", "cd"));
                IOException forked = assertThrows(IOException.class,
                        () -> second.append("STORED", "c3", "r3", "voice", Map.of("sha256", "ef")));
                assertTrue(forked.getCause() instanceof AuditCopies.ForkedChainException, forked.toString());
            }
        }
        assertEquals(2, copies.chain("node-a").lastSeq(), "the copy kept the first process's chain");
    }

    /**
     * Replica a anchors its chain once, writes more (copied, not anchored) and dies; after the silence, replica b
     * anchors a's chain in a's folder, chained to a's last digest. a's chain then verifies from the ledger's copy with
     * no disk of a's at all, and a restarted replica a carries its digest chain on from b's digest.
     */
    @Test
    void aSurvivorAnchorsTheChainOfAReplicaThatDiedUnanchored() throws Exception {
        Path diskA = Files.createDirectories(dir.resolve("a"));
        Path diskB = Files.createDirectories(dir.resolve("b"));
        try (SandboxS3 server = SandboxS3.start(dir.resolve("s3"), "audit", Sandbox.freePort());
                S3Client s3 = AuditVerifierTest.client(server)) {
            try (AuditTrail trailA = new AuditTrail(diskA, clock, copyOf("node-a"))) {
                trailA.append("STORED", "c1", "r1", "voice", Map.of("sha256", "ab"));
                trailA.record("DIGEST_PUBLISHED", digests(s3, "node-a", trailA, diskA).publish());
                trailA.append("STORED", "c2", "r2", "voice", Map.of("sha256", "cd"));
                trailA.append("STORED", "c3", "r3", "voice", Map.of("sha256", "ef"));
            } // killed: no digest at the stop
            try (AuditTrail trailB = new AuditTrail(diskB, clock, copyOf("node-b"))) {
                AuditDigests digestsB = digests(s3, "node-b", trailB, diskB);
                clock.advance(SILENT_AFTER.minusSeconds(5));
                trailB.copyPending();
                assertEquals(List.of(), digestsB.anchorSilentChains(), "not silent for long enough yet");
                clock.advance(Duration.ofSeconds(10));
                List<AuditDigests.Published> anchored = digestsB.anchorSilentChains();
                assertEquals(1, anchored.size());
                assertEquals(4, anchored.get(0).lastSeq(), "a's chain up to its last entry");
                assertTrue(anchored.get(0).key().startsWith("genesys/_audit/digests/node-a/"), anchored.toString());
                assertEquals(List.of(), digestsB.anchorSilentChains(), "anchored once");
                String digest = new String(s3.getObjectAsBytes(r -> r.bucket("audit").key(anchored.get(0).key()))
                        .asByteArray());
                assertTrue(digest.contains("\"writtenBy\" : \"node-b\""), digest);
            }
            ScratchFolder.delete(diskA); // a's volume is gone with it
            assertEquals(1, verifyFromCopy("node-a", s3).size(), "a's chain verifies from the ledger's copy");

            // a comes back on an empty volume: its trail is restored and its next digest follows b's one
            clock.advance(Duration.ofSeconds(1));
            try (AuditTrail trailA = new AuditTrail(Files.createDirectories(diskA), clock, copyOf("node-a"))) {
                trailA.record("DIGEST_PUBLISHED", digests(s3, "node-a", trailA, diskA).publish());
            }
            Files.writeString(diskA.resolve(AuditTrail.NODE_ID_FILE), "node-a\n");
            AuditVerifier.Verdict restarted = AuditVerifier.verify(diskA, AuditVerifierTest.digestsIn(s3));
            assertTrue(restarted.intact() && restarted.entries() == 5, restarted.toString());
        }
    }

    private List<AuditVerifier.Verdict> verifyFromCopy(String node, S3Client s3) throws Exception {
        List<AuditVerifier.Verdict> verdicts = new ArrayList<>();
        try (Connection ledger = database.getConnection(); ChainReader lines = CopiedChains.lines(ledger, node)) {
            AuditVerifier.Verdict verdict = AuditVerifier.verify(node, lines, AuditVerifierTest.digestsIn(s3));
            assertTrue(verdict.intact() && verdict.entries() == 4, verdict.toString());
            verdicts.add(verdict);
        }
        return verdicts;
    }

    private AuditDigests digests(S3Client s3, String node, AuditTrail trail, Path disk) {
        return new AuditDigests(s3, "audit", "genesys", node, trail, disk, new ObjectEncryption("", false),
                new ObjectLock(s3, "audit", "off"), clock, copyOf(node));
    }
}
