package io.recordingexporter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.MutableClock;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.StoredRecording;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import io.recordingexporter.sandbox.LedgerStatistics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's rules against a real database (in-memory H2), migrated by Flyway as in production. */
class LedgerTest {

    private static final long LEASE_SECONDS = 900;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private HikariDataSource dataSource;
    private Ledger nodeA;
    private Ledger nodeB;

    /** The database of one test, empty: in-memory H2 here; {@link PostgresLedgerTest} runs the same on PostgreSQL. */
    protected String databaseUrl() throws Exception {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    protected String databaseUser() {
        return "sa";
    }

    @BeforeEach
    void open() throws Exception {
        dataSource = LedgerDatabase.open(databaseUrl(), databaseUser(), "", 4);
        nodeA = Ledger.open(dataSource, "node-a", LEASE_SECONDS, clock);
        nodeB = Ledger.open(dataSource, "node-b", LEASE_SECONDS, clock);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static RecordingItem recording(String conversationId, String lane) {
        return new RecordingItem(UUID.randomUUID().toString(), conversationId, "audio", lane, false, null,
                Instant.parse("2026-11-01T09:00:00Z"), "{}", 0, null);
    }

    /**
     * A webhook on one replica and the poll on another bring the same conversations at the same moment: both intakes
     * succeed (the one that lost the race to insert a row runs again and finds it known), and each conversation is
     * accepted exactly once between them.
     */
    @Test
    void twoNodesTakingTheSameConversationsAtOnceAcceptEachOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<ConversationWork> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(new ConversationWork(UUID.randomUUID().toString(), false, "webhook"));
            }
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<IntakeReceipt>> receipts = new java.util.ArrayList<>();
                for (Ledger node : List.of(nodeA, nodeB)) {
                    receipts.add(nodes.submit(() -> {
                        together.await();
                        return node.intake().recordIntake(batch);
                    }));
                }
                List<String> accepted = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<IntakeReceipt> receipt : receipts) {
                    accepted.addAll(receipt.get().acceptedIds()); // throws when an intake failed
                }
                assertEquals(100, accepted.size(), "each accepted once between the two nodes");
                assertEquals(100, new HashSet<>(accepted).size());
            } finally {
                nodes.shutdownNow();
            }
        }
    }

    /**
     * Replicas share backfills: a backfill's next chunk is claimed by one node at a time; a node whose lease ran out
     * and was taken over records nothing (its chunk's intake is rolled back), and the cursor moves once per chunk.
     */
    @Test
    void aBackfillChunkIsClaimedByOneNodeAtATime() {
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        nodeA.backfills().createBackfill("export-1", from, from.plus(Duration.ofHours(3)), null, 3600);
        Backfills.BackfillClaim first = nodeA.backfills().claimBackfill();
        assertEquals("export-1", first.exportId());
        assertEquals(null, nodeB.backfills().claimBackfill(), "held by node a");
        nodeA.backfills().recordBackfillChunk(first, List.of(new ConversationWork(UUID.randomUUID().toString(), false,
                "backfill")), from.plus(Duration.ofHours(1)));

        Backfills.BackfillClaim second = nodeB.backfills().claimBackfill();
        assertEquals(from.plus(Duration.ofHours(1)), second.coveredUntil(), "node b goes on from node a's chunk");
        assertThrows(LeaseLostException.class, () -> nodeA.backfills().recordBackfillChunk(first, List.of(),
                from.plus(Duration.ofHours(2))), "node a's finished claim records nothing more");
        clock.advance(Duration.ofSeconds(LEASE_SECONDS + 1));
        Backfills.BackfillClaim takenOver = nodeA.backfills().claimBackfill();
        assertEquals(second.coveredUntil(), takenOver.coveredUntil());
        String lostConversation = UUID.randomUUID().toString();
        assertThrows(LeaseLostException.class, () -> nodeB.backfills().recordBackfillChunk(second,
                List.of(new ConversationWork(lostConversation, false, "backfill")), from.plus(Duration.ofHours(2))));
        assertEquals(null, nodeA.status().custodyOf(lostConversation), "the lost claim's chunk left no conversation");
        nodeA.backfills().recordBackfillChunk(takenOver, List.of(), from.plus(Duration.ofHours(2)));
        assertEquals(from.plus(Duration.ofHours(2)), java.time.OffsetDateTime.parse(nodeA.backfills()
                .backfillProgress("export-1").coveredUntil()).toInstant(), "the cursor moved once per chunk");
    }

    @Test
    void intakeIsIdempotentAndOnlyEverRaisesTheHold() {
        String id = UUID.randomUUID().toString();
        IntakeReceipt first = nodeA.intake().recordIntake(List.of(new ConversationWork(id, false, "webhook")));
        assertEquals(List.of(id), first.acceptedIds(), "new conversation accepted");
        IntakeReceipt again = nodeA.intake().recordIntake(List.of(new ConversationWork(id, true, "webhook"),
                new ConversationWork(id, false, "webhook")));
        assertEquals(0, again.accepted(), "known conversation not accepted twice");
        assertEquals(2, again.duplicates(), "both mentions counted as duplicates");
        assertTrue(nodeA.status().custodyOf(id).legalHold(), "a later legal-hold claim raises the hold");
        nodeA.intake().recordIntake(List.of(new ConversationWork(id, false, "webhook")));
        assertTrue(nodeA.status().custodyOf(id).legalHold(), "a later claim without hold never lowers it");
    }

    @Test
    void twoNodesNeverClaimTheSameRecording() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        for (int i = 0; i < 10; i++) {
            assertTrue(nodeA.recordings().enqueueRecording(recording(conversation, "voice")), "queued");
        }
        List<RecordingItem> claimedByA = nodeA.recordings().claimRecordings("voice", 6);
        List<RecordingItem> claimedByB = nodeB.recordings().claimRecordings("voice", 6);
        Set<String> all = new HashSet<>();
        claimedByA.forEach(item -> all.add(item.recordingId()));
        claimedByB.forEach(item -> all.add(item.recordingId()));
        assertEquals(6, claimedByA.size(), "first node takes a full batch");
        assertEquals(4, claimedByB.size(), "second node takes what is left");
        assertEquals(10, all.size(), "no recording claimed twice");
        assertEquals(List.of(), nodeA.recordings().claimRecordings("other-lane", 5), "lanes are separate queues");
        assertEquals(1, claimedByA.get(0).attempts(), "the claim counts as attempt 1");
    }

    @Test
    void aRestartedNodeResumesItsOwnClaimsAndLeavesOthers() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem mine = recording(conversation, "voice");
        RecordingItem theirs = recording(conversation, "screen");
        nodeA.recordings().enqueueRecording(mine);
        nodeA.recordings().enqueueRecording(theirs);
        assertEquals(1, nodeA.recordings().claimRecordings("voice", 5).size());
        assertEquals(1, nodeB.recordings().claimRecordings("screen", 5).size());

        Ledger restartedA = Ledger.open(dataSource, "node-a", LEASE_SECONDS, clock);
        assertEquals(1, restartedA.leases().releaseOwnLeases(), "only node A's claim is released");
        List<RecordingItem> reclaimed = restartedA.recordings().claimRecordings("voice", 5);
        assertEquals(mine.recordingId(), reclaimed.get(0).recordingId(), "its in-flight item is due again at once");
        assertEquals(2, reclaimed.get(0).attempts(), "and the interrupted attempt counts");
        assertEquals(List.of(), restartedA.recordings().claimRecordings("screen", 5), "node B's lease is still respected");
    }

    @Test
    void aRepeatedExpansionQueuesNothingNew() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem item = recording(conversation, "voice");
        assertTrue(nodeA.recordings().enqueueRecording(item), "first expansion queues the recording");
        assertFalse(nodeA.recordings().enqueueRecording(item), "a second expansion finds it already queued");
        assertEquals(1, countsOf(nodeA).recordings(), "one row");
    }

    @Test
    void aFailedAttemptWaitsDeferredUntilItsTimeAndAFailureGoesToTheIncidentOutbox() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        RecordingItem item = nodeA.recordings().claimRecordings("voice", 1).get(0);
        assertTrue(nodeA.recordings().recordFailedAttempt(item, "HTTP 500", "server", clock.instant().plusSeconds(3600), null));
        assertEquals(1, countsOf(nodeA).recordings("DEFERRED"), "waiting durably: DEFERRED");
        assertEquals(List.of(), nodeA.recordings().claimRecordings("voice", 1), "not due before its next attempt");
        assertEquals(Map.of(), nodeA.incidents().incidentOutboxCounts(), "no incident for a deferral");
        clock.advance(Duration.ofSeconds(3601));
        RecordingItem again = nodeA.recordings().claimRecordings("voice", 1).get(0);
        assertTrue(nodeA.recordings().recordFailedAttempt(again, "HTTP 404", "permanent", null, "recording-exporter:voice:permanent"));
        assertEquals(1, countsOf(nodeA).recordings("FAILED"), "given up: FAILED");
        assertEquals(Map.of("PENDING", 1L), nodeA.incidents().incidentOutboxCounts(), "its incident waits in the outbox");
        List<IncidentQueue.IncidentBatch> batches = nodeB.incidents().claimIncidentBatches(10);
        assertEquals(1, batches.size());
        assertEquals("recording-exporter:voice:permanent", batches.get(0).correlationId());
        assertEquals(item.recordingId(), batches.get(0).items().get(0).recordingId());
        assertEquals(List.of(), nodeA.incidents().claimIncidentBatches(10), "claimed by one node only");
        assertTrue(nodeA.recordings().requeueFailed(item.recordingId()), "a FAILED recording can be queued again");
        assertFalse(nodeA.recordings().requeueFailed(item.recordingId()), "only a FAILED one");
        assertEquals(1, countsOf(nodeA).recordings("PENDING"));
    }

    @Test
    void aLockStateLastsOnlyAsLongAsTheConflictsItWasSeenIn() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, true, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        String id = fail(nodeA, "conflict", null).recordingId();
        assertEquals(Map.of(id, ""), nodeA.recordings().lockStatesOfConflicts(List.of(id)), "a conflict, nothing re-read yet");
        fail(nodeA, "conflict", "f1");
        assertEquals(Map.of(id, "f1"), nodeA.recordings().lockStatesOfConflicts(List.of(id)), "kept through the run of conflicts");
        fail(nodeA, "server", null);
        assertEquals(Map.of(), nodeA.recordings().lockStatesOfConflicts(List.of(id)), "not a conflict now");
        fail(nodeA, "conflict", null);
        assertEquals(Map.of(id, ""), nodeA.recordings().lockStatesOfConflicts(List.of(id)), "a new run of conflicts starts afresh");
    }

    @Test
    void waitingForAnArchivedRecordingsRestoreDoesNotRunTheDeadlineDown() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        String id = fail(nodeA, "server", null).recordingId();
        assertEquals(clock.instant(), nodeA.recordings().firstFailedAt(id), "the deadline counts from here");
        clock.advance(Duration.ofHours(50));
        fail(nodeA, "archived", null);
        assertEquals(null, nodeA.recordings().firstFailedAt(id), "restoring: not failing");
        clock.advance(Duration.ofHours(30));
        fail(nodeA, "server", null);
        assertEquals(clock.instant(), nodeA.recordings().firstFailedAt(id), "restored: a failure counts afresh");
    }

    /** Claims the voice lane's one recording, records {@code fingerprint} as its lock state, fails it, due at once. */
    private RecordingItem fail(Ledger ledger, String failureClass, String fingerprint) {
        RecordingItem claimed = ledger.recordings().claimRecordings("voice", 1).get(0);
        if (fingerprint != null) {
            ledger.recordings().recordLockState(claimed, fingerprint);
        }
        assertTrue(ledger.recordings().recordFailedAttempt(claimed, "failed", failureClass, clock.instant(), null));
        return claimed;
    }

    /**
     * The operators' snapshot: counts by lane and state, the oldest waiting recording per lane not counting those
     * behind a Genesys lock (counted apart), and held recordings whose object or sidecar lacks the hold.
     */
    @Test
    void theOperationsSnapshotCountsTheBacklogAndLeavesLocksApart() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem locked = recording(conversation, "voice");
        nodeA.recordings().enqueueRecording(locked);
        clock.advance(Duration.ofMinutes(10));
        RecordingItem stored = recording(conversation, "voice");
        nodeA.recordings().enqueueRecording(stored);
        clock.advance(Duration.ofMinutes(10));
        RecordingItem waiting = recording(conversation, "voice");
        nodeA.recordings().enqueueRecording(waiting);
        RecordingItem held = new RecordingItem(UUID.randomUUID().toString(), conversation, "screen", "screen-legal-hold",
                true, "webhook", Instant.parse("2026-11-01T09:00:00Z"), "{}", 0, null);
        nodeA.recordings().enqueueRecording(held);

        List<RecordingItem> claimed = nodeA.recordings().claimRecordings("voice", 2);
        RecordingItem first = claimed.stream().filter(r -> r.recordingId().equals(locked.recordingId())).findFirst()
                .orElseThrow();
        RecordingItem second = claimed.stream().filter(r -> r.recordingId().equals(stored.recordingId())).findFirst()
                .orElseThrow();
        assertTrue(nodeA.recordings().recordFailedAttempt(first, "HTTP 409", "conflict",
                clock.instant().plusSeconds(3600), null));
        nodeA.custody().markStored(second, new StoredRecording("k", "v1", "00", 1, "x-amz-checksum-sha256", false,
                false));
        RecordingItem heldClaim = nodeA.recordings().claimRecordings("screen-legal-hold", 1).get(0);
        nodeA.custody().markStored(heldClaim, new StoredRecording("h", "v1", "00", 1, "x-amz-checksum-sha256", false,
                false).withSidecar(true, "s1"));
        clock.advance(Duration.ofMinutes(5));

        OperationsSnapshot.Counts counts = nodeB.operations().read();
        assertEquals(Map.of("DEFERRED", 1L, "STORED", 1L, "PENDING", 1L),
                counts.recordingsByLaneAndState().get("voice"));
        assertEquals(Map.of("voice", 1L), counts.lockedByLane(), "the 409 is counted apart");
        assertEquals(clock.instant().minus(Duration.ofMinutes(5)), counts.oldestWaitingByLane().get("voice"),
                "the oldest waiting is the pending one, 5 minutes old; the locked one, 25 minutes old, does not count");
        assertEquals(null, counts.oldestWaitingByLane().get("screen-legal-hold"), "nothing waits there");
        assertEquals(1, counts.heldObjectsWithoutHold(), "the held recording's object has no Object Lock hold");
        assertEquals(0, counts.heldSidecarsWithoutHold(), "its sidecar states the hold");
        assertEquals(Map.of("PENDING", 1L), counts.conversationsByState());
        assertEquals(0, counts.incidentsUndelivered());
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverChangesNothing() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        RecordingItem stale = nodeA.recordings().claimRecordings("voice", 1).get(0);
        clock.advance(Duration.ofSeconds(LEASE_SECONDS + 1));
        RecordingItem current = nodeB.recordings().claimRecordings("voice", 1).get(0);
        assertEquals(stale.recordingId(), current.recordingId(), "the lease ran out: node B claims it");

        StoredRecording stored = new StoredRecording("k", "v1", "00", 1, "x-amz-checksum-sha256", false, false);
        assertThrows(LeaseLostException.class, () -> nodeA.custody().markStored(stale, stored), "the stale worker cannot store");
        assertThrows(LeaseLostException.class, () -> nodeA.leases().confirmClaim(stale), "nor write anything after a check");
        assertFalse(nodeA.recordings().recordFailedAttempt(stale, "timeout", "permanent", null, "recording-exporter:voice:permanent"),
                "nor fail it");
        assertEquals(1, countsOf(nodeA).recordings("IN_PROGRESS"), "still node B's");
        nodeB.custody().markStored(current, stored);
        assertFalse(nodeA.recordings().recordFailedAttempt(stale, "timeout", "server", clock.instant(), null),
                "a stale deferral never turns STORED back");
        assertEquals(1, countsOf(nodeA).recordings("STORED"));
        assertEquals(Map.of(), nodeA.incidents().incidentOutboxCounts(), "and opens no incident");
    }

    @Test
    void theSameNodeClaimingAgainFencesItsOwnEarlierAttempt() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        RecordingItem first = nodeA.recordings().claimRecordings("voice", 1).get(0);
        clock.advance(Duration.ofSeconds(LEASE_SECONDS + 1));
        RecordingItem second = nodeA.recordings().claimRecordings("voice", 1).get(0);
        assertFalse(first.claimToken().equals(second.claimToken()), "each claim has its own token");
        assertFalse(nodeA.leases().holdsClaim(first), "the earlier attempt's claim is gone, though the node is the same");
        assertTrue(nodeA.leases().holdsClaim(second));
    }

    @Test
    void aRenewedLeaseIsNotTakenOverAndOneNoLongerRenewedIs() {
        String conversation = UUID.randomUUID().toString();
        nodeA.intake().recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        nodeA.recordings().enqueueRecording(recording(conversation, "voice"));
        RecordingItem held = nodeA.recordings().claimRecordings("voice", 1).get(0);
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(LEASE_SECONDS / 2));
            assertEquals(0, nodeA.leases().renewLeases(), "renewed, nothing lost");
            assertEquals(List.of(), nodeB.recordings().claimRecordings("voice", 1), "a renewed lease is never taken over");
        }
        clock.advance(Duration.ofSeconds(LEASE_SECONDS + 1));
        assertEquals(1, nodeB.recordings().claimRecordings("voice", 1).size(), "not renewed (the node died): taken over");
        assertEquals(1, nodeA.leases().renewLeases(), "node A finds its claim lost");
        assertFalse(nodeA.leases().holdsClaim(held));
    }

    private static io.recordingexporter.sandbox.LedgerCounts countsOf(Ledger ledger) {
        return new LedgerStatistics(ledger.store()).counts();
    }
}
