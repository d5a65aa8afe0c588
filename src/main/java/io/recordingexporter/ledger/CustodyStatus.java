package io.recordingexporter.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The custody status of a conversation's recordings, for GET /conversations/{id}: read only. */
public final class CustodyStatus {

    /**
     * What the ledger knows of one conversation; the JSON reply of GET /conversations/{id}, field for field in this
     * order. {@code nextListingAt}: it is listed again until settled, so a recording Genesys lists later is not lost.
     * {@code skippedNotHeld}: only a legal-hold-only export asked for it, and it is not under legal hold, so none of
     * its recordings is exported (a later intake without that restriction exports it).
     */
    public record ConversationCustody(String conversationId, String state, boolean legalHold, String legalHoldSource,
            String intakeSource, int attempts, String lastError, String receivedAt, String nextListingAt,
            List<String> awaitingMedia, boolean skippedNotHeld, List<RecordingCustody> recordings) {}

    /** One recording's custody: where it is in S3 and what S3 verified, its legal hold and Object Lock hold. */
    public record RecordingCustody(String recordingId, String media, String lane, String state, int attempts,
            String lastError, String s3Key, String versionId, String sha256, Long sizeBytes, String serverChecksum,
            boolean legalHold, String legalHoldSource, String storedAt, String objectLockLegalHoldAt) {}

    private final LedgerStore store;

    public CustodyStatus(LedgerStore store) {
        this.store = store;
    }

    /** Custody status of every recording of a conversation; null if the ledger does not know the conversation. */
    public ConversationCustody custodyOf(String conversationId) {
        return store.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, legal_hold, legal_hold_source, intake_source, attempts, last_error, received_at,"
                            + " relist_at, missing_media, skipped_not_held FROM conversation_work"
                            + " WHERE conversation_id = ?")) {
                select.setString(1, conversationId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    String missing = row.getString(9);
                    return new ConversationCustody(conversationId, row.getString(1), row.getBoolean(2),
                            row.getString(3), row.getString(4), row.getInt(5), ReplyError.of(null, row.getString(6)),
                            instant(row, 7),
                            instant(row, 8), missing == null ? List.of() : List.of(missing.split(",")),
                            row.getBoolean(10), recordingsOf(connection, conversationId));
                }
            }
        });
    }

    private static List<RecordingCustody> recordingsOf(Connection connection, String conversationId)
            throws SQLException {
        List<RecordingCustody> recordings = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT recording_id, media, lane, state, attempts, last_error, s3_key, s3_version_id, sha256,"
                        + " size_bytes, server_checksum, legal_hold, legal_hold_source, stored_at, object_hold_at,"
                        + " failure_class"
                        + " FROM recording_item WHERE conversation_id = ? ORDER BY recording_id")) {
            select.setString(1, conversationId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long size = row.getLong(10);
                    Long sizeBytes = row.wasNull() ? null : size;
                    recordings.add(new RecordingCustody(row.getString(1), row.getString(2), row.getString(3),
                            row.getString(4), row.getInt(5), ReplyError.of(row.getString(16), row.getString(6)),
                            row.getString(7), row.getString(8),
                            row.getString(9), sizeBytes, row.getString(11), row.getBoolean(12), row.getString(13),
                            instant(row, 14), instant(row, 15)));
                }
            }
        }
        return recordings;
    }

    /** A timestamp column as an ISO instant; null stays null. */
    static String instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant().toString();
    }
}
