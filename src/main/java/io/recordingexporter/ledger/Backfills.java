package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.utc;

import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Backfill exports (POST /exports): the range, its cursor, its chunks' intake and its progress. */
public final class Backfills {

    private final LedgerStore store;
    private final ConversationIntake intake;

    public Backfills(LedgerStore store, ConversationIntake intake) {
        this.store = store;
        this.intake = intake;
    }

    /** A backfill export as its worker sees it: the range, the media asked for, and how far it has come. */
    public record BackfillClaim(String exportId, Instant from, Instant to, String mediaFilter, long chunkSeconds,
            Instant coveredUntil, int attempt, String claimToken, boolean legalHoldOnly) {}

    public void createBackfill(String exportId, Instant from, Instant to, String mediaFilter, long chunkSeconds) {
        createBackfill(exportId, from, to, mediaFilter, chunkSeconds, false);
    }

    /** @param legalHoldOnly only the conversations under legal hold are exported; the others are skipped */
    public void createBackfill(String exportId, Instant from, Instant to, String mediaFilter, long chunkSeconds,
            boolean legalHoldOnly) {
        store.inTransaction(connection -> {
            Instant now = store.now();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO backfill_export (export_id, range_from, range_to, media_filter, chunk_seconds,"
                            + " covered_until, conversations_found, conversations_new, state, attempts, next_attempt_at,"
                            + " created_at, updated_at, legal_hold_only)"
                            + " VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'PENDING', 0, ?, ?, ?, ?)")) {
                insert.setString(1, exportId);
                insert.setObject(2, utc(from));
                insert.setObject(3, utc(to));
                insert.setString(4, mediaFilter);
                insert.setLong(5, chunkSeconds);
                insert.setObject(6, utc(from));
                insert.setObject(7, utc(now));
                insert.setObject(8, utc(now));
                insert.setObject(9, utc(now));
                insert.setBoolean(10, legalHoldOnly);
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Claims the backfill due first, under this node's lease; null when none is due. */
    public BackfillClaim claimBackfill() {
        List<BackfillClaim> claimed = store.inTransaction(connection -> store.claimDue(connection, "backfill_export", "export_id",
                "export_id, range_from, range_to, media_filter, chunk_seconds, covered_until, attempts,"
                        + " legal_hold_only", null,
                "next_attempt_at", 1,
                (row, token) -> new BackfillClaim(row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant(),
                        row.getObject(3, OffsetDateTime.class).toInstant(), row.getString(4), row.getLong(5),
                        row.getObject(6, OffsetDateTime.class).toInstant(), row.getInt(7) + 1, token,
                        row.getBoolean(8))));
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    /**
     * Records one chunk of a backfill: its conversations (intake, with the backfill's id and media) and the cursor
     * moved to {@code chunkEnd}, in one transaction. The backfill is DONE when the cursor reaches the range's end,
     * otherwise due again at once.
     */
    public IntakeReceipt recordBackfillChunk(BackfillClaim claim, List<ConversationWork> discovered, Instant chunkEnd) {
        return store.inTransactionRetryingRaces(connection -> {
            IntakeReceipt receipt = intake.intake(connection, discovered, claim.exportId(), claim.mediaFilter(),
                    claim.legalHoldOnly());
            Instant now = store.now();
            boolean done = !chunkEnd.isBefore(claim.to());
            boolean held = store.fenced(connection, "backfill_export", "export_id", claim.exportId(), claim.claimToken(),
                    "covered_until = ?, conversations_found = conversations_found + ?,"
                            + " conversations_new = conversations_new + ?, state = ?, attempts = 0, last_error = NULL,"
                            + " next_attempt_at = ?, completed_at = ?",
                    chunkEnd, discovered.size(), receipt.acceptedIds().size(), done ? "DONE" : ItemState.PENDING.name(),
                    now, done ? now : null);
            if (!held) {
                // another claim owns the backfill now: this chunk's intake is rolled back with the transaction
                throw new LeaseLostException(claim.exportId(), "backfill");
            }
            return receipt;
        });
    }

    /** The chunk failed: the backfill waits until {@code nextAttempt}, or is FAILED when that is null. */
    public void rescheduleBackfill(BackfillClaim claim, String error, Instant nextAttempt) {
        store.release("backfill_export", "export_id", claim.exportId(), claim.claimToken(),
                nextAttempt == null ? ItemState.FAILED : ItemState.PENDING, error,
                nextAttempt == null ? store.now() : nextAttempt);
    }

    /** A backfill's progress; the JSON reply of GET /exports/{id}, field for field in this order. */
    public record BackfillProgress(String id, String from, String to, List<String> media, boolean legalHoldOnly,
            String state, String coveredUntil, long chunksDone, long chunksTotal, int conversationsFound,
            int conversationsNew, long conversationsSkipped, int attempts, String lastError, String createdAt,
            String completedAt, Map<String, Long> recordings) {}

    /** Conversations this backfill took in that were found not under legal hold and skipped (legalHoldOnly). */
    private static long skipped(java.sql.Connection connection, String exportId) throws java.sql.SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM conversation_work"
                + " WHERE export_id = ? AND skipped_not_held = TRUE")) {
            select.setString(1, exportId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /** Progress of a backfill; null if unknown. */
    public BackfillProgress backfillProgress(String exportId) {
        return store.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT range_from, range_to, media_filter, chunk_seconds, covered_until, conversations_found,"
                            + " conversations_new, state, attempts, last_error, created_at, completed_at,"
                            + " legal_hold_only FROM backfill_export WHERE export_id = ?")) {
                select.setString(1, exportId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    Instant from = row.getObject(1, OffsetDateTime.class).toInstant();
                    Instant to = row.getObject(2, OffsetDateTime.class).toInstant();
                    String mediaFilter = row.getString(3);
                    List<String> media = mediaFilter == null ? null : List.of(mediaFilter.split(","));
                    long chunk = row.getLong(4);
                    Instant covered = row.getObject(5, OffsetDateTime.class).toInstant();
                    String state = row.getString(8);
                    return new BackfillProgress(exportId, from.toString(), to.toString(), media, row.getBoolean(13),
                            state.equals(ItemState.IN_PROGRESS.name()) ? "RUNNING" : state, covered.toString(),
                            chunks(from, covered, chunk), chunks(from, to, chunk), row.getInt(6), row.getInt(7),
                            skipped(connection, exportId), row.getInt(9), ReplyError.of(null, row.getString(10)), CustodyStatus.instant(row, 11),
                            CustodyStatus.instant(row, 12), recordingsOfRange(connection, from, to, media));
                }
            }
        });
    }

    /** Every recording of the range by state, whichever intake brought its conversation first. */
    private static Map<String, Long> recordingsOfRange(Connection connection, Instant from, Instant to,
            List<String> media) throws SQLException {
        Map<String, Long> recordings = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state, media, COUNT(*) FROM recording_item WHERE conversation_start >= ?"
                        + " AND conversation_start < ? GROUP BY state, media")) {
            select.setObject(1, utc(from));
            select.setObject(2, utc(to));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (media == null || media.contains(rows.getString(2))) {
                        recordings.merge(rows.getString(1), rows.getLong(3), Long::sum);
                    }
                }
            }
        }
        return recordings;
    }

    private static long chunks(Instant from, Instant until, long chunkSeconds) {
        long seconds = Math.max(0, java.time.Duration.between(from, until).getSeconds());
        return (seconds + chunkSeconds - 1) / chunkSeconds;
    }
}
