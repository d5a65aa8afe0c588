package io.recordingexporter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger's rules against a real (in-memory H2) database, migrated by Flyway as in production. */
class LedgerTest {

    private HikariDataSource dataSource;
    private Ledger nodeA;
    private Ledger nodeB;

    @BeforeEach
    void open() throws Exception {
        dataSource = LedgerDatabase.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
        nodeA = new Ledger(dataSource, "node-a", 900, Clock.systemUTC());
        nodeB = new Ledger(dataSource, "node-b", 900, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private static RecordingItem recording(String conversationId, String lane) {
        return new RecordingItem(UUID.randomUUID().toString(), conversationId, "audio", lane, false, null,
                Instant.parse("2026-11-01T09:00:00Z"), "{}", 0, null);
    }

    @Test
    void intakeIsIdempotentAndOnlyEverRaisesTheHold() {
        String id = UUID.randomUUID().toString();
        IntakeReceipt first = nodeA.recordIntake(List.of(new ConversationWork(id, false, "webhook")));
        assertEquals(List.of(id), first.acceptedIds(), "new conversation accepted");
        IntakeReceipt again = nodeA.recordIntake(List.of(new ConversationWork(id, true, "webhook"),
                new ConversationWork(id, false, "webhook")));
        assertEquals(0, again.accepted(), "known conversation not accepted twice");
        assertEquals(2, again.duplicates(), "both mentions counted as duplicates");
        assertTrue((Boolean) nodeA.custodyOf(id).get("legalHold"), "a later legal-hold claim raises the hold");
        nodeA.recordIntake(List.of(new ConversationWork(id, false, "webhook")));
        assertTrue((Boolean) nodeA.custodyOf(id).get("legalHold"), "a later claim without hold never lowers it");
    }

    @Test
    void twoNodesNeverClaimTheSameRecording() {
        String conversation = UUID.randomUUID().toString();
        nodeA.recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        for (int i = 0; i < 10; i++) {
            assertTrue(nodeA.enqueueRecording(recording(conversation, "voice")), "queued");
        }
        List<RecordingItem> claimedByA = nodeA.claimRecordings("voice", 6);
        List<RecordingItem> claimedByB = nodeB.claimRecordings("voice", 6);
        Set<String> all = new HashSet<>();
        claimedByA.forEach(item -> all.add(item.recordingId()));
        claimedByB.forEach(item -> all.add(item.recordingId()));
        assertEquals(6, claimedByA.size(), "first node takes a full batch");
        assertEquals(4, claimedByB.size(), "second node takes what is left");
        assertEquals(10, all.size(), "no recording claimed twice");
        assertEquals(List.of(), nodeA.claimRecordings("other-lane", 5), "lanes are separate queues");
        assertEquals(1, claimedByA.get(0).attempts(), "the claim counts as attempt 1");
    }

    @Test
    void aRestartedNodeResumesItsOwnClaimsAndLeavesOthers() {
        String conversation = UUID.randomUUID().toString();
        nodeA.recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem mine = recording(conversation, "voice");
        RecordingItem theirs = recording(conversation, "screen");
        nodeA.enqueueRecording(mine);
        nodeA.enqueueRecording(theirs);
        assertEquals(1, nodeA.claimRecordings("voice", 5).size());
        assertEquals(1, nodeB.claimRecordings("screen", 5).size());

        Ledger restartedA = new Ledger(dataSource, "node-a", 900, Clock.systemUTC());
        assertEquals(1, restartedA.releaseOwnLeases(), "only node A's claim is released");
        List<RecordingItem> reclaimed = restartedA.claimRecordings("voice", 5);
        assertEquals(mine.recordingId(), reclaimed.get(0).recordingId(), "its in-flight item is due again at once");
        assertEquals(2, reclaimed.get(0).attempts(), "and the interrupted attempt counts");
        assertEquals(List.of(), restartedA.claimRecordings("screen", 5), "node B's lease is still respected");
    }

    @Test
    void aRepeatedExpansionQueuesNothingNew() {
        String conversation = UUID.randomUUID().toString();
        nodeA.recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem item = recording(conversation, "voice");
        assertTrue(nodeA.enqueueRecording(item), "first expansion queues the recording");
        assertFalse(nodeA.enqueueRecording(item), "a second expansion finds it already queued");
        assertEquals(1, nodeA.counts().recordings(), "one row");
    }

    @Test
    void aFailedAttemptWaitsDeferredUntilItsTimeAndAFailureGoesToTheIncidentOutbox() {
        String conversation = UUID.randomUUID().toString();
        nodeA.recordIntake(List.of(new ConversationWork(conversation, false, "webhook")));
        RecordingItem item = recording(conversation, "voice");
        nodeA.enqueueRecording(item);
        nodeA.claimRecordings("voice", 1);
        nodeA.recordFailedAttempt(item, "HTTP 500", "server", Instant.now().plusSeconds(3600), null);
        assertEquals(1, nodeA.counts().recordings("DEFERRED"), "waiting durably: DEFERRED");
        assertEquals(List.of(), nodeA.claimRecordings("voice", 1), "not due before its next attempt");
        assertEquals(Map.of(), nodeA.incidentOutboxCounts(), "no incident for a deferral");
        nodeA.recordFailedAttempt(item, "HTTP 404", "permanent", null, "recording-exporter:voice:permanent");
        assertEquals(1, nodeA.counts().recordings("FAILED"), "given up: FAILED");
        assertEquals(Map.of("PENDING", 1L), nodeA.incidentOutboxCounts(), "its incident waits in the outbox");
        List<Ledger.IncidentBatch> batches = nodeB.claimIncidentBatches(10);
        assertEquals(1, batches.size());
        assertEquals("recording-exporter:voice:permanent", batches.get(0).correlationId());
        assertEquals(item.recordingId(), batches.get(0).items().get(0).recordingId());
        assertEquals(List.of(), nodeA.claimIncidentBatches(10), "claimed by one node only");
        assertTrue(nodeA.requeueFailed(item.recordingId()), "a FAILED recording can be queued again");
        assertFalse(nodeA.requeueFailed(item.recordingId()), "only a FAILED one");
        assertEquals(1, nodeA.counts().recordings("PENDING"));
    }

    @Test
    void aLockStateLastsOnlyAsLongAsTheConflictsItWasSeenIn() {
        String conversation = UUID.randomUUID().toString();
        nodeA.recordIntake(List.of(new ConversationWork(conversation, true, "webhook")));
        RecordingItem item = recording(conversation, "voice");
        nodeA.enqueueRecording(item);
        String id = item.recordingId();
        nodeA.recordFailedAttempt(item, "HTTP 409", "conflict", Instant.now(), null);
        assertEquals(Map.of(id, ""), nodeA.lockStatesOfConflicts(List.of(id)), "a conflict, nothing re-read yet");
        nodeA.recordLockState(id, "f1");
        nodeA.recordFailedAttempt(item, "HTTP 409", "conflict", Instant.now(), null);
        assertEquals(Map.of(id, "f1"), nodeA.lockStatesOfConflicts(List.of(id)), "kept through the run of conflicts");
        nodeA.recordFailedAttempt(item, "HTTP 500", "server", Instant.now(), null);
        assertEquals(Map.of(), nodeA.lockStatesOfConflicts(List.of(id)), "not a conflict now");
        nodeA.recordFailedAttempt(item, "HTTP 409", "conflict", Instant.now(), null);
        assertEquals(Map.of(id, ""), nodeA.lockStatesOfConflicts(List.of(id)), "a new run of conflicts starts afresh");
    }
}
