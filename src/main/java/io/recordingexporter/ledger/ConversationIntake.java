package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.execute;
import static io.recordingexporter.ledger.LedgerStore.utc;

import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Intake of conversations, idempotent: each is recorded once, in one transaction per batch (all or nothing); a later
 * mention that claims legal hold raises the recorded hold (never the reverse), and one that asks for more media widens
 * what is listed.
 */
public final class ConversationIntake {

    private final LedgerStore store;

    public ConversationIntake(LedgerStore store) {
        this.store = store;
    }

    /**
     * Records a batch of conversations in one transaction: all or nothing. A conversation already known (or twice in
     * the batch) is a duplicate; a duplicate that now claims legal hold upgrades the recorded hold, never the reverse.
     */
    public IntakeReceipt recordIntake(List<ConversationWork> batch) {
        // two replicas may take the same conversation at once (a webhook on one, the poll on another)
        return store.inTransactionRetryingRaces(connection -> intake(connection, batch, null, null, false));
    }

    /**
     * Intake inside a transaction; a backfill names itself, the media it asks for (null: all), and whether it asks
     * for conversations under legal hold alone ({@code holdOnly}).
     */
    IntakeReceipt intake(Connection connection, List<ConversationWork> batch, String exportId,
            String mediaFilter, boolean holdOnly) throws SQLException {
        List<String> duplicates = new ArrayList<>();
        Map<String, ConversationWork> unique = uniqueByConversation(batch, duplicates);
        Map<String, String> recordingFilters = new HashMap<>();
        Set<String> holdOnlyKnown = new java.util.HashSet<>();
        Map<String, String> known = existingConversations(connection, unique.keySet(), recordingFilters,
                holdOnlyKnown);
        List<ConversationWork> fresh = new ArrayList<>();
        List<ConversationWork> again = new ArrayList<>();
        for (ConversationWork work : unique.values()) {
            (known.containsKey(work.conversationId()) ? again : fresh).add(work);
        }
        again.forEach(work -> duplicates.add(work.conversationId()));
        Instant now = store.now();
        insertFresh(connection, fresh, exportId, mediaFilter, holdOnly, now);
        if (!holdOnly) {
            liftHoldOnly(connection, again.stream().filter(work -> holdOnlyKnown.contains(work.conversationId()))
                    .toList(), now);
        }
        widenRecordings(connection, again, recordingFilters, now);
        List<String> heldLater = raiseHolds(connection, again, now);
        recordAttributeReads(connection, again);
        widenMedia(connection, again, known, mediaFilter, now);
        return new IntakeReceipt(fresh.stream().map(ConversationWork::conversationId).toList(),
                List.copyOf(duplicates), batch.isEmpty() ? null : batch.get(0).intakeSource(), heldLater);
    }

    /**
     * One mention per conversation; the others are duplicates. A later mention wins when it claims a hold the earlier
     * did not, or read the hold attribute the earlier had not read (and the earlier claims no hold).
     */
    static Map<String, ConversationWork> uniqueByConversation(List<ConversationWork> batch, List<String> duplicates) {
        Map<String, ConversationWork> unique = new LinkedHashMap<>();
        for (ConversationWork work : batch) {
            ConversationWork earlier = unique.putIfAbsent(work.conversationId(), work);
            if (earlier != null) {
                duplicates.add(work.conversationId());
                if (work.legalHoldClaimed() && !earlier.legalHoldClaimed()
                        || work.holdAttributeRead() && !earlier.holdAttributeRead() && !earlier.legalHoldClaimed()) {
                    unique.put(work.conversationId(), work);
                }
            }
        }
        return unique;
    }

    /**
     * Known conversations a legal-hold-only backfill took in are now asked for without the restriction: exported
     * whatever their hold; one already skipped as not held is listed again at once.
     */
    private static void liftHoldOnly(Connection connection, List<ConversationWork> again, Instant now)
            throws SQLException {
        if (again.isEmpty()) {
            return;
        }
        try (PreparedStatement lift = connection.prepareStatement("UPDATE conversation_work SET hold_only = FALSE,"
                + " skipped_not_held = FALSE, relist_at = CASE WHEN skipped_not_held THEN ? ELSE relist_at END,"
                + " updated_at = ? WHERE conversation_id = ? AND hold_only = TRUE")) {
            for (ConversationWork work : again) {
                lift.setObject(1, utc(now));
                lift.setObject(2, utc(now));
                lift.setString(3, work.conversationId());
                lift.addBatch();
            }
            lift.executeBatch();
        }
    }

    /**
     * Known conversations listed for some recordings alone (a rescue's) now asked for more: all of them (a webhook,
     * poll or backfill), or other recordings too (another rescue). One already listed is listed again at once.
     */
    private static void widenRecordings(Connection connection, List<ConversationWork> again,
            Map<String, String> recordingFilters, Instant now) throws SQLException {
        for (ConversationWork work : again) {
            String current = recordingFilters.get(work.conversationId());
            if (current == null) {
                continue; // every recording is wanted already
            }
            String wanted = null;
            if (work.recordingIds() != null) {
                Set<String> union = new java.util.TreeSet<>(List.of(current.split(",")));
                union.addAll(work.recordingIds());
                wanted = String.join(",", union);
                if (wanted.equals(current)) {
                    continue;
                }
            }
            execute(connection, "UPDATE conversation_work SET recording_filter = ?, relist_at = CASE WHEN"
                    + " state = 'EXPANDED' THEN ? ELSE relist_at END, updated_at = ? WHERE conversation_id = ?",
                    wanted, now, now, work.conversationId());
        }
    }

    private static void insertFresh(Connection connection, List<ConversationWork> fresh, String exportId,
            String mediaFilter, boolean holdOnly, Instant now) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO conversation_work (conversation_id, legal_hold, legal_hold_source, intake_source, state,"
                        + " attempts, next_attempt_at, received_at, updated_at, export_id, media_filter,"
                        + " hold_attribute_read, hold_only, recording_filter)"
                        + " VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (ConversationWork work : fresh) {
                insert.setString(1, work.conversationId());
                insert.setBoolean(2, work.legalHoldClaimed());
                insert.setString(3, work.legalHoldClaimed() ? work.legalHoldSource() : null);
                insert.setString(4, work.intakeSource());
                insert.setObject(5, utc(now));
                insert.setObject(6, utc(now));
                insert.setObject(7, utc(now));
                insert.setString(8, exportId);
                insert.setString(9, mediaFilter);
                insert.setBoolean(10, work.holdAttributeRead());
                insert.setBoolean(11, holdOnly);
                insert.setString(12, work.recordingIds() == null ? null
                        : String.join(",", new java.util.TreeSet<>(work.recordingIds())));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Known conversations now claimed under hold get it (never the reverse), and so do their recordings (and their
     * sidecars, later); returns those whose hold is new.
     */
    private static List<String> raiseHolds(Connection connection, List<ConversationWork> again, Instant now)
            throws SQLException {
        List<ConversationWork> claimed = again.stream().filter(ConversationWork::legalHoldClaimed).toList();
        List<String> heldLater = new ArrayList<>();
        try (PreparedStatement upgradeHold = connection.prepareStatement(
                "UPDATE conversation_work SET legal_hold = TRUE, legal_hold_source = ?, updated_at = ?"
                        + " WHERE conversation_id = ? AND legal_hold = FALSE")) {
            for (ConversationWork work : claimed) {
                upgradeHold.setString(1, work.legalHoldSource());
                upgradeHold.setObject(2, utc(now));
                upgradeHold.setString(3, work.conversationId());
                upgradeHold.addBatch();
            }
            int[] raised = upgradeHold.executeBatch();
            for (int i = 0; i < raised.length; i++) {
                if (raised[i] != 0) {
                    heldLater.add(claimed.get(i).conversationId()); // not already held: the hold is new
                }
            }
        }
        for (ConversationWork work : claimed) {
            LegalHoldRecords.holdRecordings(connection, work.conversationId(), work.legalHoldSource(), now);
        }
        return List.copyOf(heldLater);
    }

    private static void recordAttributeReads(Connection connection, List<ConversationWork> again) throws SQLException {
        try (PreparedStatement attributeRead = connection.prepareStatement(
                "UPDATE conversation_work SET hold_attribute_read = TRUE WHERE conversation_id = ?")) {
            for (ConversationWork work : again) {
                if (work.holdAttributeRead()) {
                    attributeRead.setString(1, work.conversationId());
                    attributeRead.addBatch();
                }
            }
            attributeRead.executeBatch();
        }
    }

    /** Listed for a backfill's media only: the media not listed then are listed now (relisted if already listed). */
    private static void widenMedia(Connection connection, List<ConversationWork> again, Map<String, String> known,
            String mediaFilter, Instant now) throws SQLException {
        try (PreparedStatement widen = connection.prepareStatement(
                "UPDATE conversation_work SET media_filter = ?, relist_at = CASE WHEN state = 'EXPANDED' THEN ?"
                        + " ELSE relist_at END, updated_at = ? WHERE conversation_id = ?")) {
            for (ConversationWork work : again) {
                String listedFor = known.get(work.conversationId());
                String wanted = MediaFilter.widened(listedFor, mediaFilter);
                if (!Objects.equals(wanted, listedFor)) {
                    widen.setString(1, wanted);
                    widen.setObject(2, utc(now));
                    widen.setObject(3, utc(now));
                    widen.setString(4, work.conversationId());
                    widen.addBatch();
                }
            }
            widen.executeBatch();
        }
    }

    /**
     * Which of the conversations the ledger knows, each with the media it was listed for (null: all); those listed
     * for some recordings alone (a rescue's) go into {@code recordingFilters}, and those a legal-hold-only backfill
     * took in into {@code holdOnly}, in the same read.
     */
    private static Map<String, String> existingConversations(Connection connection, Set<String> ids,
            Map<String, String> recordingFilters, Set<String> holdOnly) throws SQLException {
        Map<String, String> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT conversation_id, media_filter, recording_filter, hold_only FROM conversation_work"
                        + " WHERE conversation_id IN (" + marks + ")")) {
            int index = 1;
            for (String id : ids) {
                select.setString(index++, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    known.put(rows.getString(1), rows.getString(2));
                    if (rows.getString(3) != null) {
                        recordingFilters.put(rows.getString(1), rows.getString(3));
                    }
                    if (rows.getBoolean(4)) {
                        holdOnly.add(rows.getString(1));
                    }
                }
            }
        }
        return known;
    }
}
