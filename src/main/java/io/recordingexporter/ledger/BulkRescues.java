package io.recordingexporter.ledger;

import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;

/**
 * Rescues of Genesys bulk export jobs: the failed recordings each job's rescue found (once per job, however often it
 * is rescued), taken in through the normal intake in the same transaction, and the progress of each.
 */
public final class BulkRescues {

    /** A failed recording of a job, with its conversation. */
    public record FailedRecording(String conversationId, String recordingId) {}

    /** What one rescue recorded: the intake's receipt, the failed recordings found, and how many were new. */
    public record Recorded(IntakeReceipt intake, int found, int newlyFound) {}

    /** A rescue's progress; the JSON reply of GET /rescues/{id}, field for field in this order. */
    public record RescueProgress(String id, String createdAt, long found, long queued, long stored, long failed,
            long waiting) {}

    private final LedgerStore store;
    private final ConversationIntake intake;

    public BulkRescues(LedgerStore store, ConversationIntake intake) {
        this.store = store;
        this.intake = intake;
    }

    /** Takes in the conversations of {@code failed} (each for its failed recordings alone) and remembers the rescue. */
    public Recorded record(String jobId, List<FailedRecording> failed, List<ConversationWork> conversations) {
        return store.inTransactionRetryingRaces(connection -> {
            IntakeReceipt receipt = intake.intake(connection, conversations, null, null, false);
            Instant now = store.now();
            LedgerStore.execute(connection, "INSERT INTO bulk_rescue (job_id, created_at, updated_at) SELECT ?, ?, ?"
                    + " WHERE NOT EXISTS (SELECT 1 FROM bulk_rescue WHERE job_id = ?)", jobId, now, now, jobId);
            LedgerStore.execute(connection, "UPDATE bulk_rescue SET updated_at = ? WHERE job_id = ?", now, jobId);
            int newlyFound = 0;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bulk_rescue_recording"
                    + " (job_id, recording_id, conversation_id) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                    + " bulk_rescue_recording WHERE job_id = ? AND recording_id = ?)")) {
                for (FailedRecording recording : failed) {
                    insert.setString(1, jobId);
                    insert.setString(2, recording.recordingId());
                    insert.setString(3, recording.conversationId());
                    insert.setString(4, jobId);
                    insert.setString(5, recording.recordingId());
                    newlyFound += insert.executeUpdate();
                }
            }
            return new Recorded(receipt, failed.size(), newlyFound);
        });
    }

    /** Progress of a rescue; null if the job was never rescued. */
    public RescueProgress progress(String jobId) {
        return store.inTransaction(connection -> {
            String createdAt;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT created_at FROM bulk_rescue WHERE job_id = ?")) {
                select.setString(1, jobId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    createdAt = CustodyStatus.instant(row, 1);
                }
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*),"
                    + " SUM(CASE WHEN i.recording_id IS NULL THEN 0 ELSE 1 END),"
                    + " SUM(CASE WHEN i.state = 'STORED' THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN i.state = 'FAILED' THEN 1 ELSE 0 END)"
                    + " FROM bulk_rescue_recording r LEFT JOIN recording_item i ON i.recording_id = r.recording_id"
                    + " WHERE r.job_id = ?")) {
                select.setString(1, jobId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    long found = row.getLong(1);
                    long stored = row.getLong(3);
                    long failedCount = row.getLong(4);
                    return new RescueProgress(jobId, createdAt, found, row.getLong(2), stored, failedCount,
                            found - stored - failedCount);
                }
            }
        });
    }
}
