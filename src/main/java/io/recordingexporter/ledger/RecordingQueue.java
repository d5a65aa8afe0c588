package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.execute;
import static io.recordingexporter.ledger.LedgerStore.truncate;
import static io.recordingexporter.ledger.LedgerStore.utc;

import io.recordingexporter.domain.MediaLink;
import io.recordingexporter.domain.RecordingItem;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue of recordings, one per lane: routed recordings enqueued once, claimed under this node's lease, their media
 * links kept for retries, and each failed attempt recorded (deferred, or failed with its incident-outbox row).
 */
public final class RecordingQueue {

    private final LedgerStore store;

    public RecordingQueue(LedgerStore store) {
        this.store = store;
    }

    private static final String UNIQUE_VIOLATION = "23505";

    /** Adds a routed recording to its lane's queue; false when the ledger already had it (a repeated expansion). */
    public boolean enqueueRecording(RecordingItem item) {
        return store.inTransaction(connection -> {
            Instant now = store.now();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO recording_item (recording_id, conversation_id, media, lane, legal_hold, legal_hold_source,"
                            + " conversation_start, metadata_json, state, attempts, next_attempt_at, created_at, updated_at,"
                            + " content_type, media_url, media_url_expires_at, media_unavailable)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, item.recordingId());
                insert.setString(2, item.conversationId());
                insert.setString(3, item.media());
                insert.setString(4, item.lane());
                insert.setBoolean(5, item.legalHold());
                insert.setString(6, item.legalHoldSource());
                insert.setObject(7, utc(item.conversationStart()));
                insert.setString(8, item.metadataJson());
                insert.setObject(9, utc(now));
                insert.setObject(10, utc(now));
                insert.setObject(11, utc(now));
                MediaLink link = item.mediaLink();
                insert.setString(12, link == null ? null : link.contentType());
                insert.setString(13, link == null ? null : link.url());
                insert.setObject(14, link == null || link.reuseUntil() == null ? null : utc(link.reuseUntil()));
                insert.setString(15, link == null ? null : truncate(link.unavailable()));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    connection.rollback();
                    return false;
                }
                throw e;
            }
        });
    }

    /** Claims up to {@code limit} due recordings of one lane under this node's lease. */
    public List<RecordingItem> claimRecordings(String lane, int limit) {
        return store.inTransaction(connection -> store.claimDue(connection, "recording_item", "recording_id",
                "recording_id, conversation_id, media, lane, legal_hold, legal_hold_source, conversation_start,"
                        + " metadata_json, attempts, content_type, media_url, media_url_expires_at, media_unavailable",
                lane, "next_attempt_at", limit,
                (rows, token) -> new RecordingItem(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getBoolean(5), rows.getString(6),
                        rows.getObject(7, OffsetDateTime.class).toInstant(), rows.getString(8), rows.getInt(9) + 1,
                        mediaLink(rows), token)));
    }

    private static MediaLink mediaLink(ResultSet rows) throws SQLException {
        String contentType = rows.getString(10);
        String url = rows.getString(11);
        OffsetDateTime reuseUntil = rows.getObject(12, OffsetDateTime.class);
        String unavailable = rows.getString(13);
        if (contentType == null && url == null && unavailable == null) {
            return null;
        }
        return new MediaLink(url, reuseUntil == null ? null : reuseUntil.toInstant(), contentType, unavailable);
    }

    /** Keeps what a lane's batch download said about each recording, so a retry or a restart can reuse the links. */
    public void recordMediaLinks(List<RecordingItem> items) {
        if (items.isEmpty()) {
            return;
        }
        store.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE recording_item SET content_type = COALESCE(?, content_type), media_url = ?,"
                            + " media_url_expires_at = ?, media_unavailable = ?, updated_at = ? WHERE "
                            + Leases.fence("recording_id"))) {
                for (RecordingItem item : items) {
                    MediaLink link = item.mediaLink();
                    update.setString(1, link == null ? null : link.contentType());
                    update.setString(2, link == null ? null : link.url());
                    update.setObject(3, link == null || link.reuseUntil() == null ? null : utc(link.reuseUntil()));
                    update.setString(4, link == null ? null : truncate(link.unavailable()));
                    update.setObject(5, utc(store.now()));
                    update.setString(6, item.recordingId());
                    update.setString(7, store.nodeId());
                    update.setString(8, item.claimToken());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return null;
        });
    }

    /** A link the media host refused (expired, revoked): the next attempt asks Genesys for a new one. */
    public void forgetMediaLink(RecordingItem item) {
        store.inTransaction(connection -> execute(connection, "UPDATE recording_item SET media_url = NULL,"
                + " media_url_expires_at = NULL, updated_at = ? WHERE " + Leases.fence("recording_id"),
                store.now(), item.recordingId(), store.nodeId(), item.claimToken()));
    }

    /**
     * Of these recordings, those whose last attempt ended in a conflict (409), each with the metadata fingerprint last
     * seen for it ("" when none was seen yet).
     */
    public Map<String, String> lockStatesOfConflicts(List<String> recordingIds) {
        if (recordingIds.isEmpty()) {
            return Map.of();
        }
        return store.inTransaction(connection -> {
            Map<String, String> states = new LinkedHashMap<>();
            String marks = String.join(", ", java.util.Collections.nCopies(recordingIds.size(), "?"));
            try (PreparedStatement select = connection.prepareStatement("SELECT recording_id, lock_state FROM recording_item"
                    + " WHERE failure_class = 'conflict' AND recording_id IN (" + marks + ")")) {
                for (int i = 0; i < recordingIds.size(); i++) {
                    select.setString(i + 1, recordingIds.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String state = rows.getString(2);
                        states.put(rows.getString(1), state == null ? "" : state);
                    }
                }
            }
            return states;
        });
    }

    /** Keeps the metadata fingerprint a re-read of a locked recording saw (while the claim holds). */
    public void recordLockState(RecordingItem item, String fingerprint) {
        store.inTransaction(connection -> execute(connection, "UPDATE recording_item SET lock_state = ?, updated_at = ?"
                + " WHERE " + Leases.fence("recording_id"), fingerprint, store.now(), item.recordingId(), store.nodeId(),
                item.claimToken()));
    }

    /** When the current run of failures of a recording began; null if its last attempt did not fail. */
    public Instant firstFailedAt(String recordingId) {
        return store.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT first_failed_at FROM recording_item WHERE recording_id = ?")) {
                select.setString(1, recordingId);
                try (ResultSet row = select.executeQuery()) {
                    OffsetDateTime at = row.next() ? row.getObject(1, OffsetDateTime.class) : null;
                    return at == null ? null : at.toInstant();
                }
            }
        });
    }

    /**
     * Records a failed attempt and its class: the item is DEFERRED until {@code nextAttempt}, holding no thread, or
     * FAILED when that is null; a FAILED item gets its incident-outbox row ({@code correlationId}) in the same
     * transaction, so no failure can be recorded without its incident. Fenced by the claim: false (and nothing
     * changed, no incident) when the lease was lost.
     */
    public boolean recordFailedAttempt(RecordingItem item, String error, String failureClass, Instant nextAttempt,
            String correlationId) {
        return store.inTransaction(connection -> {
            Instant now = store.now();
            // a lock state seen belongs to the run of conflicts it was seen in: any other failure ends that run.
            // Waiting for an archived recording's restore is not failing: the lane's deadline starts after it
            boolean held = store.fenced(connection, "recording_item", "recording_id", item.recordingId(), item.claimToken(),
                    "state = ?, last_error = ?, failure_class = ?, first_failed_at = CASE WHEN CAST(? AS VARCHAR(32))"
                            + " = 'archived' THEN NULL ELSE COALESCE(first_failed_at, ?) END,"
                            + " next_attempt_at = ?, lock_state = CASE WHEN CAST(? AS VARCHAR(32)) = 'conflict'"
                            + " THEN lock_state ELSE NULL END",
                    nextAttempt == null ? ItemState.FAILED.name() : ItemState.DEFERRED.name(), truncate(error),
                    failureClass, failureClass, now, nextAttempt == null ? now : nextAttempt, failureClass);
            if (held && nextAttempt == null) {
                execute(connection, "INSERT INTO incident_outbox (outbox_id, correlation_id, lane, failure_class,"
                        + " recording_id, conversation_id, error, state, attempts, next_attempt_at, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
                        java.util.UUID.randomUUID().toString(), correlationId, item.lane(), failureClass,
                        item.recordingId(), item.conversationId(), truncate(error), now, now, now);
            }
            return held;
        });
    }

    /**
     * {@code POST /recordings/{id}/retry}: a FAILED recording is queued again with a clean failure record; false when
     * there is no FAILED recording with that id.
     */
    public boolean requeueFailed(String recordingId) {
        return store.inTransaction(connection -> {
            Instant now = store.now();
            return execute(connection, "UPDATE recording_item SET state = 'PENDING', attempts = 0, failure_class = NULL,"
                    + " first_failed_at = NULL, next_attempt_at = ?, updated_at = ? WHERE recording_id = ?"
                    + " AND state = 'FAILED'", now, now, recordingId) == 1;
        });
    }
}
