package io.recordingexporter.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The custody status of a conversation's recordings, for GET /conversations/{id}: read only. */
public final class CustodyStatus {

    private final LedgerStore store;

    public CustodyStatus(LedgerStore store) {
        this.store = store;
    }

    /** Custody status of every recording of a conversation, for GET /conversations/{id}; null if unknown. */
    public Map<String, Object> custodyOf(String conversationId) {
        return store.inTransaction(connection -> {
            Map<String, Object> conversation = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, legal_hold, legal_hold_source, intake_source, attempts, last_error, received_at,"
                            + " relist_at, missing_media FROM conversation_work WHERE conversation_id = ?")) {
                select.setString(1, conversationId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    conversation.put("conversationId", conversationId);
                    conversation.put("state", row.getString(1));
                    conversation.put("legalHold", row.getBoolean(2));
                    conversation.put("legalHoldSource", row.getString(3));
                    conversation.put("intakeSource", row.getString(4));
                    conversation.put("attempts", row.getInt(5));
                    conversation.put("lastError", row.getString(6));
                    conversation.put("receivedAt", row.getObject(7, OffsetDateTime.class).toInstant().toString());
                    // listed again until settled: a recording Genesys lists later is not lost
                    OffsetDateTime relistAt = row.getObject(8, OffsetDateTime.class);
                    conversation.put("nextListingAt", relistAt == null ? null : relistAt.toInstant().toString());
                    String missing = row.getString(9);
                    conversation.put("awaitingMedia", missing == null ? List.of() : List.of(missing.split(",")));
                }
            }
            List<Map<String, Object>> recordings = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT recording_id, media, lane, state, attempts, last_error, s3_key, s3_version_id, sha256,"
                            + " size_bytes, server_checksum, legal_hold, legal_hold_source, stored_at, object_hold_at"
                            + " FROM recording_item WHERE conversation_id = ? ORDER BY recording_id")) {
                select.setString(1, conversationId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        Map<String, Object> recording = new LinkedHashMap<>();
                        recording.put("recordingId", row.getString(1));
                        recording.put("media", row.getString(2));
                        recording.put("lane", row.getString(3));
                        recording.put("state", row.getString(4));
                        recording.put("attempts", row.getInt(5));
                        recording.put("lastError", row.getString(6));
                        recording.put("s3Key", row.getString(7));
                        recording.put("versionId", row.getString(8));
                        recording.put("sha256", row.getString(9));
                        long size = row.getLong(10);
                        recording.put("sizeBytes", row.wasNull() ? null : size);
                        recording.put("serverChecksum", row.getString(11));
                        recording.put("legalHold", row.getBoolean(12));
                        recording.put("legalHoldSource", row.getString(13));
                        OffsetDateTime storedAt = row.getObject(14, OffsetDateTime.class);
                        recording.put("storedAt", storedAt == null ? null : storedAt.toInstant().toString());
                        OffsetDateTime objectHoldAt = row.getObject(15, OffsetDateTime.class);
                        recording.put("objectLockLegalHoldAt", objectHoldAt == null ? null : objectHoldAt.toInstant().toString());
                        recordings.add(recording);
                    }
                }
            }
            conversation.put("recordings", recordings);
            return conversation;
        });
    }
}
