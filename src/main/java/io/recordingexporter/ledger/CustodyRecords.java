package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.execute;

import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.StoredRecording;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The custody record of stored recordings: where each is and what S3 verified, and which stored ones still lack the
 * legal hold on their object or in their sidecar.
 */
public final class CustodyRecords {

    private final LedgerStore store;

    public CustodyRecords(LedgerStore store) {
        this.store = store;
    }

    /**
     * The custody record: where the recording now is and what S3 verified. Fenced by the claim: a worker whose lease
     * was lost gets {@link LeaseLostException} and changes nothing (the new claim adopts the object it finds).
     *
     * @return when the recording's conversation ended, as its listing said (null if not known), which the
     *     end-to-stored latency is measured from
     */
    public Instant markStored(RecordingItem item, StoredRecording stored) {
        Instant now = store.now();
        return store.inTransaction(connection -> {
            boolean held = store.fenced(connection, "recording_item", "recording_id",
                    item.recordingId(), item.claimToken(), "state = 'STORED', s3_key = ?, s3_version_id = ?, sha256 = ?,"
                            + " size_bytes = ?, server_checksum = ?, last_error = NULL, first_failed_at = NULL,"
                            + " lock_state = NULL, object_hold_at = ?, stored_at = ?, sidecar_legal_hold = ?,"
                            + " sidecar_version_id = ?",
                    stored.key(), stored.versionId(), stored.sha256(), stored.sizeBytes(), stored.serverChecksum(),
                    stored.objectLegalHold() ? now : null, now, stored.sidecarLegalHold(), stored.sidecarVersionId());
            if (!held) {
                throw new LeaseLostException(item.recordingId(), "recording");
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT conversation_end FROM conversation_work WHERE conversation_id = ?")) {
                select.setString(1, item.conversationId());
                try (ResultSet rows = select.executeQuery()) {
                    java.time.OffsetDateTime end = rows.next() ? rows.getObject(1, java.time.OffsetDateTime.class) : null;
                    return end == null ? null : end.toInstant();
                }
            }
        });
    }

    /** A stored object of a legal-hold recording that has no Object Lock legal hold yet. */
    public record UnheldObject(String recordingId, String conversationId, String lane, String s3Key, String versionId) {}

    /**
     * Stored recordings under legal hold whose objects were written without an Object Lock legal hold (the hold came
     * after the export, or the object was adopted from an earlier attempt). Holding is idempotent, so replicas may
     * overlap here without harm.
     */
    public List<UnheldObject> storedAwaitingObjectHold(int limit) {
        return store.inTransaction(connection -> {
            List<UnheldObject> unheld = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT recording_id, conversation_id, lane,"
                    + " s3_key, s3_version_id FROM recording_item WHERE state = 'STORED' AND legal_hold = TRUE"
                    + " AND object_hold_at IS NULL ORDER BY stored_at")) {
                select.setMaxRows(limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        unheld.add(new UnheldObject(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5)));
                    }
                }
            }
            return unheld;
        });
    }

    /** A stored recording under legal hold whose sidecar in S3 may not say so yet (false, or not known). */
    public record StaleSidecar(String recordingId, String conversationId, String lane, String s3Key,
            String legalHoldSource) {}

    /**
     * Stored recordings under legal hold whose sidecar was written before the hold (or before the ledger kept what
     * sidecars say): each gets a new sidecar version naming the hold. Idempotent, so replicas may overlap here.
     */
    public List<StaleSidecar> storedWithStaleSidecar(int limit) {
        return store.inTransaction(connection -> {
            List<StaleSidecar> stale = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT recording_id, conversation_id, lane,"
                    + " s3_key, legal_hold_source FROM recording_item WHERE state = 'STORED' AND legal_hold = TRUE"
                    + " AND (sidecar_legal_hold IS NULL OR sidecar_legal_hold = FALSE) ORDER BY stored_at")) {
                select.setMaxRows(limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        stale.add(new StaleSidecar(rows.getString(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getString(5)));
                    }
                }
            }
            return stale;
        });
    }

    /** The sidecar in S3 now states the recording's legal hold (in version {@code versionId}). */
    public void markSidecarHeld(String recordingId, String versionId) {
        store.inTransaction(connection -> execute(connection, "UPDATE recording_item SET sidecar_legal_hold = TRUE,"
                + " sidecar_version_id = COALESCE(?, sidecar_version_id), updated_at = ? WHERE recording_id = ?",
                versionId, store.now(), recordingId));
    }

    public void markObjectHeld(String recordingId) {
        store.inTransaction(connection -> execute(connection,
                "UPDATE recording_item SET object_hold_at = ?, updated_at = ? WHERE recording_id = ?",
                store.now(), store.now(), recordingId));
    }
}
