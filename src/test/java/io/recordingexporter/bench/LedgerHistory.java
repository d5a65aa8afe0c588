package io.recordingexporter.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.ledger.LedgerDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * A ledger with a long past: {@code recordings} recordings STORED on earlier days (between 11 and 375 days ago, one
 * conversation in ten under legal hold, about five recordings for every four conversations), written straight into an
 * H2 ledger file before the exporter starts on it, through the exporter's own migrations.
 */
final class LedgerHistory {

    private LedgerHistory() {}

    static void prefill(Path dataDir, int recordings) throws Exception {
        int conversations = recordings * 4 / 5;
        String url = "jdbc:h2:file:" + dataDir.resolve("ledger").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        try (HikariDataSource ledger = LedgerDatabase.open(url, "sa", "", 2);
                Connection connection = ledger.getConnection();
                Statement sql = connection.createStatement()) {
            String day = "DATEADD(DAY, -(11 + MOD(X, 365)), CURRENT_TIMESTAMP)";
            sql.executeUpdate("INSERT INTO conversation_work (conversation_id, legal_hold, legal_hold_source,"
                    + " intake_source, state, attempts, next_attempt_at, received_at, updated_at, hold_attribute_read,"
                    + " conversation_end, relists)"
                    + " SELECT '00000000-0000-4000-8000-' || LPAD(CAST(X AS VARCHAR), 12, '0'), MOD(X, 10) = 0,"
                    + " CASE WHEN MOD(X, 10) = 0 THEN 'attribute:legalHold' END, 'poll', 'EXPANDED', 1, " + day + ", "
                    + day + ", " + day + ", TRUE, " + day + ", 6 FROM SYSTEM_RANGE(1, " + conversations + ")");
            String recordingDay = "DATEADD(DAY, -(11 + MOD(MOD(X - 1, " + conversations + ") + 1, 365)), CURRENT_TIMESTAMP)";
            sql.executeUpdate("INSERT INTO recording_item (recording_id, conversation_id, media, lane, legal_hold,"
                    + " legal_hold_source, conversation_start, metadata_json, state, attempts, next_attempt_at,"
                    + " s3_key, s3_version_id, sha256, size_bytes, server_checksum, created_at, updated_at, stored_at,"
                    + " content_type, sidecar_legal_hold)"
                    + " SELECT '00000001-0000-4000-8000-' || LPAD(CAST(X AS VARCHAR), 12, '0'),"
                    + " '00000000-0000-4000-8000-' || LPAD(CAST(MOD(X - 1, " + conversations + ") + 1 AS VARCHAR), 12, '0'),"
                    + " CASE WHEN MOD(X, 3) = 0 THEN 'chat' ELSE 'audio' END,"
                    + " CASE WHEN MOD(X, 3) = 0 THEN 'digital' ELSE 'voice' END,"
                    + " MOD(MOD(X - 1, " + conversations + ") + 1, 10) = 0,"
                    + " CASE WHEN MOD(MOD(X - 1, " + conversations + ") + 1, 10) = 0 THEN 'attribute:legalHold' END, "
                    + recordingDay + ", '{\"id\":\"history\",\"media\":\"audio\",\"fileState\":\"AVAILABLE\","
                    + "\"startTime\":\"2025-01-01T00:00:00.000Z\",\"endTime\":\"2025-01-01T00:05:00.000Z\"}',"
                    + " 'STORED', 1, " + recordingDay + ", 'genesys/history/' || X || '.wav', NULL,"
                    + " LPAD(CAST(X AS VARCHAR), 64, 'a'), 1500000, 'x-amz-checksum-sha256', " + recordingDay + ", "
                    + recordingDay + ", " + recordingDay + ", 'audio/wav',"
                    + " MOD(MOD(X - 1, " + conversations + ") + 1, 10) = 0"
                    + " FROM SYSTEM_RANGE(1, " + recordings + ")");
        }
    }
}
