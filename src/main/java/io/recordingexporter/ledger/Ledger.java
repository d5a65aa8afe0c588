package io.recordingexporter.ledger;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The durable heart of the exporter: intake idempotency, the work queue of conversations and recordings (claimed with
 * leases so several replicas can share it), and the custody record of what was stored where.
 *
 * <p>SQL here runs unchanged on H2 and PostgreSQL. Claims use {@code FOR UPDATE SKIP LOCKED}, so concurrent workers
 * never take the same row.
 */
public class Ledger {

    private static final int ERROR_TEXT_LIMIT = 2000;
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final String nodeId;
    private final long leaseSeconds;
    private final Clock clock;
    private final Leases leases;

    /** A claim is renewed while held, but not beyond this many leases: a worker stuck that long gives its item back. */
    private static final int MAX_HOLD_IN_LEASES = 24;

    public Ledger(DataSource dataSource, String nodeId, long leaseSeconds, Clock clock) {
        this.dataSource = dataSource;
        this.nodeId = nodeId;
        this.leaseSeconds = leaseSeconds;
        this.clock = clock;
        this.leases = new Leases(nodeId, java.time.Duration.ofSeconds(leaseSeconds),
                java.time.Duration.ofSeconds(leaseSeconds * MAX_HOLD_IN_LEASES), clock);
    }

    public String nodeId() {
        return nodeId;
    }

    // ------------------------------------------------------------------ intake

    /**
     * Records a batch of conversations in one transaction: all or nothing. A conversation already known (or twice in
     * the batch) is a duplicate; a duplicate that now claims legal hold upgrades the recorded hold, never the reverse.
     */
    public IntakeReceipt recordIntake(List<ConversationWork> batch) {
        return inTransaction(connection -> intake(connection, batch, null, null));
    }

    /** Intake inside a transaction; a backfill names itself and the media it asks for (null: all). */
    private IntakeReceipt intake(Connection connection, List<ConversationWork> batch, String exportId,
            String mediaFilter) throws SQLException {
        Map<String, ConversationWork> unique = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
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
        Map<String, String> known = existingConversations(connection, unique.keySet());
        List<String> accepted = new ArrayList<>();
        List<String> heldLater = new ArrayList<>();
        Instant now = clock.instant();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO conversation_work (conversation_id, legal_hold, legal_hold_source, intake_source, state,"
                        + " attempts, next_attempt_at, received_at, updated_at, export_id, media_filter,"
                        + " hold_attribute_read) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?, ?, ?)");
             PreparedStatement upgradeHold = connection.prepareStatement(
                "UPDATE conversation_work SET legal_hold = TRUE, legal_hold_source = ?, updated_at = ?"
                        + " WHERE conversation_id = ? AND legal_hold = FALSE");
             PreparedStatement attributeRead = connection.prepareStatement(
                "UPDATE conversation_work SET hold_attribute_read = TRUE WHERE conversation_id = ?");
             PreparedStatement widenMedia = connection.prepareStatement(
                "UPDATE conversation_work SET media_filter = ?, relist_at = CASE WHEN state = 'EXPANDED' THEN ?"
                        + " ELSE relist_at END, updated_at = ? WHERE conversation_id = ?")) {
            for (ConversationWork work : unique.values()) {
                if (known.containsKey(work.conversationId())) {
                    duplicates.add(work.conversationId());
                    String listedFor = known.get(work.conversationId());
                    String wanted = MediaFilter.widened(listedFor, mediaFilter);
                    if (!java.util.Objects.equals(wanted, listedFor)) {
                        // listed for a backfill's media only: the media not listed then are listed now
                        widenMedia.setString(1, wanted);
                        widenMedia.setObject(2, utc(now));
                        widenMedia.setObject(3, utc(now));
                        widenMedia.setString(4, work.conversationId());
                        widenMedia.addBatch();
                    }
                    if (work.legalHoldClaimed()) {
                        upgradeHold.setString(1, work.legalHoldSource());
                        upgradeHold.setObject(2, utc(now));
                        upgradeHold.setString(3, work.conversationId());
                        upgradeHold.addBatch();
                        heldLater.add(work.conversationId());
                    }
                    if (work.holdAttributeRead()) {
                        attributeRead.setString(1, work.conversationId());
                        attributeRead.addBatch();
                    }
                    continue;
                }
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
                insert.addBatch();
                accepted.add(work.conversationId());
            }
            if (!accepted.isEmpty()) {
                insert.executeBatch();
            }
            int[] raised = upgradeHold.executeBatch();
            for (int i = raised.length - 1; i >= 0; i--) {
                if (raised[i] == 0) {
                    heldLater.remove(i); // already held: nothing new
                }
            }
            for (ConversationWork work : unique.values()) {
                if (known.containsKey(work.conversationId()) && work.legalHoldClaimed()) {
                    // a hold that comes later reaches the recordings too (and their sidecars, later)
                    holdRecordings(connection, work.conversationId(), work.legalHoldSource(), now);
                }
            }
            attributeRead.executeBatch();
            widenMedia.executeBatch();
        }
        return new IntakeReceipt(List.copyOf(accepted), List.copyOf(duplicates),
                batch.isEmpty() ? null : batch.get(0).intakeSource(), List.copyOf(heldLater));
    }

    /** Which of the conversations the ledger knows, each with the media it was listed for (null: all). */
    private static Map<String, String> existingConversations(Connection connection, Set<String> ids) throws SQLException {
        Map<String, String> known = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT conversation_id, media_filter FROM conversation_work WHERE conversation_id IN (" + marks + ")")) {
            int index = 1;
            for (String id : ids) {
                select.setString(index++, id);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    known.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return known;
    }

    // ------------------------------------------------------------------ conversations

    /**
     * Claims conversations due for listing under this node's lease: first those never listed (or whose listing failed),
     * at most {@code maxAttributeReads} of them still needing their legal-hold attribute read (each costs a Genesys call
     * before the batch can be routed: a batch needing no more reads than the budget's burst is routed within seconds),
     * then, up to {@code limit}, listed ones whose next relisting is due (they stay EXPANDED meanwhile).
     */
    public List<ClaimedConversation> claimConversations(int limit, int maxAttributeReads) {
        return inTransaction(connection -> {
            int[] reads = {0};
            List<ClaimedConversation> claimed = claimDue(connection, "conversation_work", "conversation_id",
                    CLAIMED_CONVERSATION_COLUMNS, null, "next_attempt_at", limit, (rows, token) -> {
                        ClaimedConversation conversation = claimedConversation(rows, false, token);
                        boolean needsRead = !conversation.legalHold() && !conversation.holdAttributeRead();
                        if (needsRead && reads[0] >= maxAttributeReads) {
                            return null;
                        }
                        reads[0] += needsRead ? 1 : 0;
                        return conversation;
                    });
            if (claimed.size() < limit) {
                claimed.addAll(claimRelists(connection, limit - claimed.size()));
            }
            return claimed;
        });
    }

    private static final String CLAIMED_CONVERSATION_COLUMNS = "conversation_id, legal_hold, legal_hold_source, attempts,"
            + " media_filter, hold_attribute_read, missing_wait_seconds";

    private static ClaimedConversation claimedConversation(ResultSet rows, boolean relisting, String token)
            throws SQLException {
        long missingWait = rows.getLong(7);
        return new ClaimedConversation(rows.getString(1), rows.getBoolean(2), rows.getString(3),
                rows.getInt(4) + (relisting ? 0 : 1), rows.getString(5), rows.getBoolean(6), relisting,
                rows.wasNull() ? null : java.time.Duration.ofSeconds(missingWait), token);
    }

    /** Listed conversations whose relisting is due and that nobody holds, leased to this node. */
    private List<ClaimedConversation> claimRelists(Connection connection, int limit) throws SQLException {
        Instant now = clock.instant();
        List<ClaimedConversation> claimed = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + CLAIMED_CONVERSATION_COLUMNS
                // bounded below, so that the index skips the conversations whose relisting is over (NULL)
                + " FROM conversation_work WHERE state = 'EXPANDED' AND relist_at > ? AND relist_at <= ?"
                + " AND (lease_expires_at IS NULL OR lease_expires_at < ?)"
                + " ORDER BY relist_at FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED")) {
            select.setObject(1, utc(Instant.EPOCH));
            select.setObject(2, utc(now));
            select.setObject(3, utc(now));
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String token = Leases.newToken();
                    leases.claim("conversation_work", "conversation_id", rows.getString(1), token, now);
                    claimed.add(claimedConversation(rows, true, token));
                }
            }
        }
        try (PreparedStatement lease = connection.prepareStatement("UPDATE conversation_work SET lease_owner = ?,"
                + " lease_expires_at = ?, claim_token = ?, updated_at = ? WHERE conversation_id = ?")) {
            for (ClaimedConversation conversation : claimed) {
                lease.setString(1, nodeId);
                lease.setObject(2, utc(now.plusSeconds(leaseSeconds)));
                lease.setString(3, conversation.claimToken());
                lease.setObject(4, utc(now));
                lease.setString(5, conversation.conversationId());
                lease.addBatch();
            }
            lease.executeBatch();
        }
        return claimed;
    }

    /**
     * A claimed conversation, with the number of this attempt (1 for the first), the media a backfill asked for
     * (comma-separated recording media; null: every recording), whether its legal-hold attribute was read, whether it
     * was listed before (a relisting), the wait chosen for a medium missing at its last listing (null: none), and the
     * token of this claim (its completion is fenced by it).
     */
    public record ClaimedConversation(String conversationId, boolean legalHold, String legalHoldSource, int attempt,
            String mediaFilter, boolean holdAttributeRead, boolean relisting, java.time.Duration missingWait,
            String claimToken) {

        public boolean wants(String media) {
            return mediaFilter == null || List.of(mediaFilter.split(",")).contains(media);
        }
    }

    /**
     * The conversation is asked again at {@code nextAttempt}, or given up (FAILED) when that is null; false when the
     * claim was lost (nothing changed).
     */
    public boolean rescheduleConversation(ClaimedConversation conversation, String error, Instant nextAttempt) {
        return release("conversation_work", "conversation_id", conversation.conversationId(), conversation.claimToken(),
                nextAttempt == null ? ItemState.FAILED : ItemState.PENDING, error,
                nextAttempt == null ? clock.instant() : nextAttempt);
    }

    /** A relisting that failed: the conversation stays EXPANDED and is listed again at {@code nextRelist}. */
    public boolean rescheduleRelist(ClaimedConversation conversation, String error, Instant nextRelist) {
        return inTransaction(connection -> fenced(connection, "conversation_work", "conversation_id",
                conversation.conversationId(), conversation.claimToken(), "relist_at = ?, last_error = ?",
                nextRelist, truncate(error)));
    }

    /** Ends a claim: the row gets its new state, error and next attempt, and its lease is given up (fenced). */
    private boolean release(String table, String idColumn, String id, String token, ItemState state, String error,
            Instant nextAttempt) {
        return inTransaction(connection -> fenced(connection, table, idColumn, id, token,
                "state = ?, last_error = ?, next_attempt_at = ?", state.name(), truncate(error), nextAttempt));
    }

    /**
     * A fenced completion: sets {@code assignments} (with their parameters), gives the lease up and ends the claim, on
     * the row only while it still carries this node's claim {@code token}. False when it no longer does (the lease was
     * lost and the row claimed again): then nothing changed.
     */
    private boolean fenced(Connection connection, String table, String idColumn, String id, String token,
            String assignments, Object... parameters) throws SQLException {
        Object[] all = java.util.Arrays.copyOf(parameters, parameters.length + 4);
        all[parameters.length] = clock.instant();
        all[parameters.length + 1] = id;
        all[parameters.length + 2] = nodeId;
        all[parameters.length + 3] = token;
        int changed = execute(connection, "UPDATE " + table + " SET " + assignments + ", lease_owner = NULL,"
                + " lease_expires_at = NULL, claim_token = NULL, updated_at = ? WHERE " + Leases.fence(idColumn), all);
        leases.released(table, id);
        return changed == 1;
    }

    /**
     * Renews the lease of every claim this node still holds (the heartbeat of long work: a download, a full lane
     * queue, a paused budget); a claim whose row no longer carries its token is forgotten. The number found lost.
     */
    public int renewLeases() {
        return inTransaction(connection -> leases.renewAll(connection).size());
    }

    /**
     * Right before anything is written for a recording (its S3 object): the claim is renewed, and must still be this
     * worker's. Throws {@link LeaseLostException} when it is not.
     */
    public void confirmClaim(RecordingItem item) {
        if (!holdsClaim(item)) {
            throw new LeaseLostException(item.recordingId(), "recording");
        }
    }

    /** Whether this worker's claim on the recording still holds; renewed when it does. */
    public boolean holdsClaim(RecordingItem item) {
        return inTransaction(connection -> leases.renewOne(connection, "recording_item", item.recordingId(),
                item.claimToken()));
    }

    /**
     * The conversations' recordings are listed and routed: EXPANDED, with the legal hold decided for them (a hold, once
     * recorded, is never taken back here) and when each is to be listed again (null: settled).
     */
    public void markAllExpanded(List<ListedConversation> listed) {
        if (listed.isEmpty()) {
            return;
        }
        inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement("UPDATE conversation_work SET state = 'EXPANDED',"
                    + " legal_hold = (legal_hold OR ?), legal_hold_source = COALESCE(?, legal_hold_source),"
                    + " hold_attribute_read = (hold_attribute_read OR ?), last_error = NULL, next_attempt_at = ?,"
                    + " conversation_end = COALESCE(?, conversation_end), relist_at = ?, relists = relists + ?,"
                    + " missing_media = ?, missing_wait_seconds = ?, lease_owner = NULL, lease_expires_at = NULL,"
                    + " claim_token = NULL, updated_at = ? WHERE " + Leases.fence("conversation_id"))) {
                for (ListedConversation conversation : listed) {
                    update.setBoolean(1, conversation.legalHold());
                    update.setString(2, conversation.legalHoldSource());
                    update.setBoolean(3, conversation.holdAttributeRead());
                    update.setObject(4, utc(now));
                    update.setObject(5, conversation.conversationEnd() == null ? null : utc(conversation.conversationEnd()));
                    update.setObject(6, conversation.relistAt() == null ? null : utc(conversation.relistAt()));
                    update.setInt(7, conversation.relisting() ? 1 : 0);
                    update.setString(8, conversation.missingMedia());
                    if (conversation.missingWait() == null) {
                        update.setNull(9, java.sql.Types.BIGINT);
                    } else {
                        update.setLong(9, conversation.missingWait().toSeconds());
                    }
                    update.setObject(10, utc(now));
                    update.setString(11, conversation.conversationId());
                    update.setString(12, nodeId);
                    update.setString(13, conversation.claimToken());
                    update.addBatch();
                    leases.released("conversation_work", conversation.conversationId());
                }
                update.executeBatch();
            }
            // a relisting may find a hold the first listing did not: the recordings already listed get it too
            for (ListedConversation conversation : listed) {
                if (conversation.legalHold()) {
                    holdRecordings(connection, conversation.conversationId(), conversation.legalHoldSource(), now);
                }
            }
            return null;
        });
    }

    /**
     * The recordings of a conversation that came under hold get it too (a held one keeps its sources); stored ones
     * then get a new sidecar version and their Object Lock hold from the routes that carry late holds to S3.
     */
    private static void holdRecordings(Connection connection, String conversationId, String sources, Instant now)
            throws SQLException {
        execute(connection, "UPDATE recording_item SET legal_hold = TRUE, legal_hold_source = ?, updated_at = ?"
                + " WHERE conversation_id = ? AND legal_hold = FALSE", sources, now, conversationId);
    }

    // ------------------------------------------------------------------ recordings

    /** Adds a routed recording to its lane's queue; false when the ledger already had it (a repeated expansion). */
    public boolean enqueueRecording(RecordingItem item) {
        return inTransaction(connection -> {
            Instant now = clock.instant();
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
        return inTransaction(connection -> claimDue(connection, "recording_item", "recording_id",
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
        inTransaction(connection -> {
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
                    update.setObject(5, utc(clock.instant()));
                    update.setString(6, item.recordingId());
                    update.setString(7, nodeId);
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
        inTransaction(connection -> execute(connection, "UPDATE recording_item SET media_url = NULL,"
                + " media_url_expires_at = NULL, updated_at = ? WHERE " + Leases.fence("recording_id"),
                clock.instant(), item.recordingId(), nodeId, item.claimToken()));
    }

    // ------------------------------------------------------------------ discovery watermark

    /** Up to when the named discovery has recorded every conversation; null before its first complete window. */
    public Instant watermark(String name) {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT covered_until FROM discovery_watermark WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? row.getObject(1, OffsetDateTime.class).toInstant() : null;
                }
            }
        });
    }

    /**
     * Records a window's conversations, then moves the watermark to {@code coveredUntil}: the watermark never passes
     * a conversation that is not in the ledger (a crash in between only repeats an idempotent intake), and it never
     * moves backwards.
     */
    public IntakeReceipt recordDiscoveredWindow(String name, List<ConversationWork> discovered, Instant coveredUntil) {
        IntakeReceipt receipt = discovered.isEmpty() ? IntakeReceipt.empty(null) : recordIntake(discovered);
        inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE discovery_watermark SET covered_until = ?, updated_at = ? WHERE name = ? AND covered_until < ?")) {
                update.setObject(1, utc(coveredUntil));
                update.setObject(2, utc(now));
                update.setString(3, name);
                update.setObject(4, utc(coveredUntil));
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement exists = connection.prepareStatement(
                            "SELECT 1 FROM discovery_watermark WHERE name = ?")) {
                        exists.setString(1, name);
                        try (ResultSet row = exists.executeQuery()) {
                            if (row.next()) {
                                return null;
                            }
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO discovery_watermark (name, covered_until, updated_at) VALUES (?, ?, ?)")) {
                        insert.setString(1, name);
                        insert.setObject(2, utc(coveredUntil));
                        insert.setObject(3, utc(now));
                        insert.executeUpdate();
                    }
                }
            }
            return null;
        });
        return receipt;
    }

    /**
     * The custody record: where the recording now is and what S3 verified. Fenced by the claim: a worker whose lease
     * was lost gets {@link LeaseLostException} and changes nothing (the new claim adopts the object it finds).
     */
    public void markStored(RecordingItem item, StoredRecording stored) {
        Instant now = clock.instant();
        boolean held = inTransaction(connection -> fenced(connection, "recording_item", "recording_id",
                item.recordingId(), item.claimToken(), "state = 'STORED', s3_key = ?, s3_version_id = ?, sha256 = ?,"
                        + " size_bytes = ?, server_checksum = ?, last_error = NULL, first_failed_at = NULL,"
                        + " lock_state = NULL, object_hold_at = ?, stored_at = ?, sidecar_legal_hold = ?,"
                        + " sidecar_version_id = ?",
                stored.key(), stored.versionId(), stored.sha256(), stored.sizeBytes(), stored.serverChecksum(),
                stored.objectLegalHold() ? now : null, now, stored.sidecarLegalHold(), stored.sidecarVersionId()));
        if (!held) {
            throw new LeaseLostException(item.recordingId(), "recording");
        }
    }

    /** A stored object of a legal-hold recording that has no Object Lock legal hold yet. */
    public record UnheldObject(String recordingId, String conversationId, String lane, String s3Key, String versionId) {}

    /**
     * Stored recordings under legal hold whose objects were written without an Object Lock legal hold (the hold came
     * after the export, or the object was adopted from an earlier attempt). Holding is idempotent, so replicas may
     * overlap here without harm.
     */
    public List<UnheldObject> storedAwaitingObjectHold(int limit) {
        return inTransaction(connection -> {
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
        return inTransaction(connection -> {
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
        inTransaction(connection -> execute(connection, "UPDATE recording_item SET sidecar_legal_hold = TRUE,"
                + " sidecar_version_id = COALESCE(?, sidecar_version_id), updated_at = ? WHERE recording_id = ?",
                versionId, clock.instant(), recordingId));
    }

    public void markObjectHeld(String recordingId) {
        inTransaction(connection -> execute(connection,
                "UPDATE recording_item SET object_hold_at = ?, updated_at = ? WHERE recording_id = ?",
                clock.instant(), clock.instant(), recordingId));
    }

    /**
     * Of these recordings, those whose last attempt ended in a conflict (409), each with the metadata fingerprint last
     * seen for it ("" when none was seen yet).
     */
    public Map<String, String> lockStatesOfConflicts(List<String> recordingIds) {
        if (recordingIds.isEmpty()) {
            return Map.of();
        }
        return inTransaction(connection -> {
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
        inTransaction(connection -> execute(connection, "UPDATE recording_item SET lock_state = ?, updated_at = ?"
                + " WHERE " + Leases.fence("recording_id"), fingerprint, clock.instant(), item.recordingId(), nodeId,
                item.claimToken()));
    }

    /** When the current run of failures of a recording began; null if its last attempt did not fail. */
    public Instant firstFailedAt(String recordingId) {
        return inTransaction(connection -> {
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
        return inTransaction(connection -> {
            Instant now = clock.instant();
            // a lock state seen belongs to the run of conflicts it was seen in: any other failure ends that run
            boolean held = fenced(connection, "recording_item", "recording_id", item.recordingId(), item.claimToken(),
                    "state = ?, last_error = ?, failure_class = ?, first_failed_at = COALESCE(first_failed_at, ?),"
                            + " next_attempt_at = ?, lock_state = CASE WHEN CAST(? AS VARCHAR(32)) = 'conflict'"
                            + " THEN lock_state ELSE NULL END",
                    nextAttempt == null ? ItemState.FAILED.name() : ItemState.DEFERRED.name(), truncate(error),
                    failureClass, now, nextAttempt == null ? now : nextAttempt, failureClass);
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
        return inTransaction(connection -> {
            Instant now = clock.instant();
            return execute(connection, "UPDATE recording_item SET state = 'PENDING', attempts = 0, failure_class = NULL,"
                    + " first_failed_at = NULL, next_attempt_at = ?, updated_at = ? WHERE recording_id = ?"
                    + " AND state = 'FAILED'", now, now, recordingId) == 1;
        });
    }

    /**
     * After a restart, work this node had claimed is due again at once rather than after its lease runs out. Leases of
     * other replicas are left alone.
     */
    public int releaseOwnLeases() {
        return inTransaction(connection -> {
            int released = 0;
            for (String table : List.of("conversation_work", "recording_item", "backfill_export", "incident_outbox")) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET state = 'PENDING', lease_owner = NULL, lease_expires_at = NULL, claim_token = NULL"
                        + " WHERE state = 'IN_PROGRESS' AND lease_owner = ?")) {
                    update.setString(1, nodeId);
                    released += update.executeUpdate();
                }
            }
            // relistings in progress keep their listed state
            released += execute(connection, "UPDATE conversation_work SET lease_owner = NULL, lease_expires_at = NULL,"
                    + " claim_token = NULL WHERE state = 'EXPANDED' AND lease_owner = ?", nodeId);
            return released;
        });
    }

    // ------------------------------------------------------------------ incident outbox

    /** One failed recording waiting to be told to ServiceNow. */
    public record OutboxItem(String outboxId, String recordingId, String conversationId, String error, int attempt,
            String claimToken) {}

    /** The outbox rows of one correlation id claimed together: one incident, or one work note on the open one. */
    public record IncidentBatch(String correlationId, String lane, String failureClass, List<OutboxItem> items) {

        public List<String> outboxIds() {
            return items.stream().map(OutboxItem::outboxId).toList();
        }

        public int attempt() {
            return items.stream().mapToInt(OutboxItem::attempt).max().orElse(1);
        }
    }

    /** Claims the due outbox rows (at most {@code limit}), grouped by correlation id, under this node's lease. */
    public List<IncidentBatch> claimIncidentBatches(int limit) {
        List<Object[]> rows = inTransaction(connection -> claimDue(connection, "incident_outbox", "outbox_id",
                "outbox_id, correlation_id, lane, failure_class, recording_id, conversation_id, error, attempts", null,
                "created_at", limit, (row, token) -> new Object[] {row.getString(1), row.getString(2),
                        row.getString(3), row.getString(4), new OutboxItem(row.getString(1), row.getString(5),
                                row.getString(6), row.getString(7), row.getInt(8) + 1, token)}));
        Map<String, IncidentBatch> batches = new LinkedHashMap<>();
        for (Object[] row : rows) {
            batches.computeIfAbsent((String) row[1], correlation -> new IncidentBatch(correlation, (String) row[2],
                    (String) row[3], new ArrayList<>())).items().add((OutboxItem) row[4]);
        }
        return new ArrayList<>(batches.values());
    }

    /** ServiceNow has the batch (a new incident or a work note on {@code incidentNumber}). */
    public void markIncidentsDelivered(IncidentBatch batch, String incidentNumber) {
        updateOutbox(batch, "DELIVERED", incidentNumber, null, clock.instant());
    }

    /** ServiceNow could not be told: the batch waits until {@code nextAttempt}; it is never dropped. */
    public void rescheduleIncidents(IncidentBatch batch, String error, Instant nextAttempt) {
        updateOutbox(batch, ItemState.PENDING.name(), null, error, nextAttempt);
    }

    private void updateOutbox(IncidentBatch batch, String state, String incidentNumber, String error, Instant next) {
        inTransaction(connection -> {
            Instant now = clock.instant();
            for (OutboxItem item : batch.items()) {
                fenced(connection, "incident_outbox", "outbox_id", item.outboxId(), item.claimToken(),
                        "state = ?, incident_number = COALESCE(?, incident_number), last_error = ?, next_attempt_at = ?,"
                                + " delivered_at = ?",
                        state, incidentNumber, truncate(error), next, state.equals("DELIVERED") ? now : null);
            }
            return null;
        });
    }

    /** Outbox rows by state, for summaries and tests. */
    public Map<String, Long> incidentOutboxCounts() {
        return inTransaction(connection -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM incident_outbox GROUP BY state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
            return counts;
        });
    }

    // ------------------------------------------------------------------ legal hold re-check

    /** Conversations received since {@code since} and not under legal hold, in id order after {@code afterId}. */
    public List<String> unheldConversations(Instant since, String afterId, int limit) {
        return inTransaction(connection -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT conversation_id FROM conversation_work WHERE legal_hold = FALSE AND received_at >= ?"
                            + " AND conversation_id > ? ORDER BY conversation_id FETCH FIRST ? ROWS ONLY")) {
                select.setObject(1, utc(since));
                select.setString(2, afterId);
                select.setInt(3, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Puts a conversation, and every recording of it the ledger has, under legal hold from {@code source}; returns
     * those recordings (stored ones need the hold on their S3 objects too).
     */
    public List<String> applyLegalHold(String conversationId, String source) {
        return inTransaction(connection -> {
            Instant now = clock.instant();
            for (String table : List.of("conversation_work", "recording_item")) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                        + " SET legal_hold = TRUE, legal_hold_source = CASE WHEN legal_hold_source IS NULL THEN ?"
                        + " ELSE legal_hold_source || ',' || ? END, updated_at = ?"
                        + " WHERE conversation_id = ? AND legal_hold = FALSE")) {
                    update.setString(1, source);
                    update.setString(2, source);
                    update.setObject(3, utc(now));
                    update.setString(4, conversationId);
                    update.executeUpdate();
                }
            }
            List<String> recordings = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT recording_id FROM recording_item WHERE conversation_id = ? ORDER BY recording_id")) {
                select.setString(1, conversationId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        recordings.add(rows.getString(1));
                    }
                }
            }
            return recordings;
        });
    }

    // ------------------------------------------------------------------ backfill exports

    /** A backfill export as its worker sees it: the range, the media asked for, and how far it has come. */
    public record BackfillClaim(String exportId, Instant from, Instant to, String mediaFilter, long chunkSeconds,
            Instant coveredUntil, int attempt, String claimToken) {}

    public void createBackfill(String exportId, Instant from, Instant to, String mediaFilter, long chunkSeconds) {
        inTransaction(connection -> {
            Instant now = clock.instant();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO backfill_export (export_id, range_from, range_to, media_filter, chunk_seconds,"
                            + " covered_until, conversations_found, conversations_new, state, attempts, next_attempt_at,"
                            + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 'PENDING', 0, ?, ?, ?)")) {
                insert.setString(1, exportId);
                insert.setObject(2, utc(from));
                insert.setObject(3, utc(to));
                insert.setString(4, mediaFilter);
                insert.setLong(5, chunkSeconds);
                insert.setObject(6, utc(from));
                insert.setObject(7, utc(now));
                insert.setObject(8, utc(now));
                insert.setObject(9, utc(now));
                insert.executeUpdate();
            }
            return null;
        });
    }

    /** Claims the backfill due first, under this node's lease; null when none is due. */
    public BackfillClaim claimBackfill() {
        List<BackfillClaim> claimed = inTransaction(connection -> claimDue(connection, "backfill_export", "export_id",
                "export_id, range_from, range_to, media_filter, chunk_seconds, covered_until, attempts", null,
                "next_attempt_at", 1,
                (row, token) -> new BackfillClaim(row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant(),
                        row.getObject(3, OffsetDateTime.class).toInstant(), row.getString(4), row.getLong(5),
                        row.getObject(6, OffsetDateTime.class).toInstant(), row.getInt(7) + 1, token)));
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    /**
     * Records one chunk of a backfill: its conversations (intake, with the backfill's id and media) and the cursor
     * moved to {@code chunkEnd}, in one transaction. The backfill is DONE when the cursor reaches the range's end,
     * otherwise due again at once.
     */
    public IntakeReceipt recordBackfillChunk(BackfillClaim claim, List<ConversationWork> discovered, Instant chunkEnd) {
        return inTransaction(connection -> {
            IntakeReceipt receipt = intake(connection, discovered, claim.exportId(), claim.mediaFilter());
            Instant now = clock.instant();
            boolean done = !chunkEnd.isBefore(claim.to());
            boolean held = fenced(connection, "backfill_export", "export_id", claim.exportId(), claim.claimToken(),
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
        release("backfill_export", "export_id", claim.exportId(), claim.claimToken(),
                nextAttempt == null ? ItemState.FAILED : ItemState.PENDING, error,
                nextAttempt == null ? clock.instant() : nextAttempt);
    }

    /** Progress of a backfill for GET /exports/{id}; null if unknown. */
    public Map<String, Object> backfillProgress(String exportId) {
        return inTransaction(connection -> {
            Map<String, Object> progress = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT range_from, range_to, media_filter, chunk_seconds, covered_until, conversations_found,"
                            + " conversations_new, state, attempts, last_error, created_at, completed_at"
                            + " FROM backfill_export WHERE export_id = ?")) {
                select.setString(1, exportId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    Instant from = row.getObject(1, OffsetDateTime.class).toInstant();
                    Instant to = row.getObject(2, OffsetDateTime.class).toInstant();
                    long chunk = row.getLong(4);
                    Instant covered = row.getObject(5, OffsetDateTime.class).toInstant();
                    String state = row.getString(8);
                    progress.put("id", exportId);
                    progress.put("from", from.toString());
                    progress.put("to", to.toString());
                    String media = row.getString(3);
                    progress.put("media", media == null ? null : List.of(media.split(",")));
                    progress.put("state", state.equals(ItemState.IN_PROGRESS.name()) ? "RUNNING" : state);
                    progress.put("coveredUntil", covered.toString());
                    progress.put("chunksDone", chunks(from, covered, chunk));
                    progress.put("chunksTotal", chunks(from, to, chunk));
                    progress.put("conversationsFound", row.getInt(6));
                    progress.put("conversationsNew", row.getInt(7));
                    progress.put("attempts", row.getInt(9));
                    progress.put("lastError", row.getString(10));
                    progress.put("createdAt", row.getObject(11, OffsetDateTime.class).toInstant().toString());
                    OffsetDateTime completed = row.getObject(12, OffsetDateTime.class);
                    progress.put("completedAt", completed == null ? null : completed.toInstant().toString());
                }
            }
            // every recording of the range, whichever intake brought its conversation first
            Map<String, Long> recordings = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            List<String> media = (List<String>) progress.get("media");
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, media, COUNT(*) FROM recording_item WHERE conversation_start >= ?"
                            + " AND conversation_start < ? GROUP BY state, media")) {
                select.setObject(1, utc(Instant.parse((String) progress.get("from"))));
                select.setObject(2, utc(Instant.parse((String) progress.get("to"))));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        if (media == null || media.contains(rows.getString(2))) {
                            recordings.merge(rows.getString(1), rows.getLong(3), Long::sum);
                        }
                    }
                }
            }
            progress.put("recordings", recordings);
            return progress;
        });
    }

    private static long chunks(Instant from, Instant until, long chunkSeconds) {
        long seconds = Math.max(0, java.time.Duration.between(from, until).getSeconds());
        return (seconds + chunkSeconds - 1) / chunkSeconds;
    }

    // ------------------------------------------------------------------ reading

    /** A round trip to the database, for readiness. */
    public boolean ping() {
        return inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM conversation_work WHERE 1 = 0");
                 ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        });
    }

    /** Custody status of every recording of a conversation, for GET /conversations/{id}; null if unknown. */
    public Map<String, Object> custodyOf(String conversationId) {
        return inTransaction(connection -> {
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

    /**
     * Seconds each lane took over the recordings it stored since {@code since}: from the first of them entering the
     * ledger to the last of them stored.
     */
    public Map<String, Double> laneSeconds(Instant since) {
        return inTransaction(connection -> {
            Map<String, Double> seconds = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT lane, MIN(created_at), MAX(stored_at) FROM recording_item WHERE state = 'STORED'"
                            + " AND stored_at >= ? GROUP BY lane")) {
                select.setObject(1, utc(since));
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Instant first = rows.getObject(2, OffsetDateTime.class).toInstant();
                        Instant last = rows.getObject(3, OffsetDateTime.class).toInstant();
                        seconds.put(rows.getString(1), Math.round(java.time.Duration.between(first, last).toMillis() / 100.0) / 10.0);
                    }
                }
            }
            return seconds;
        });
    }

    /** Counts for progress and summaries: conversations by state, recordings and bytes by lane and state. */
    public LedgerCounts counts() {
        return inTransaction(connection -> {
            Map<String, Long> conversations = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT state, COUNT(*) FROM conversation_work GROUP BY state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    conversations.put(rows.getString(1), rows.getLong(2));
                }
            }
            Map<String, Map<String, long[]>> lanes = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT lane, state, COUNT(*), COALESCE(SUM(size_bytes), 0) FROM recording_item GROUP BY lane, state");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    lanes.computeIfAbsent(rows.getString(1), lane -> new LinkedHashMap<>())
                            .put(rows.getString(2), new long[] {rows.getLong(3), rows.getLong(4)});
                }
            }
            long awaitingMedia;
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM conversation_work"
                    + " WHERE missing_media IS NOT NULL AND relist_at IS NOT NULL");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                awaitingMedia = rows.getLong(1);
            }
            return new LedgerCounts(conversations, lanes, awaitingMedia);
        });
    }

    // ------------------------------------------------------------------ plumbing

    @FunctionalInterface
    private interface RowReader<T> {
        /** The claimed object from its row, with the token of its claim; null passes the row over (not claimed). */
        T read(ResultSet row, String claimToken) throws SQLException;
    }

    /**
     * The one way work is taken from a work table: rows due now (PENDING or DEFERRED with {@code next_attempt_at}
     * passed, or IN_PROGRESS whose lease ran out), locked with {@code FOR UPDATE SKIP LOCKED} so concurrent workers
     * never take the same row, then leased to this node ({@code attempts + 1}) under a new claim token, whose lease is
     * renewed while the claim is held. The first selected column is the id.
     */
    private <T> List<T> claimDue(Connection connection, String table, String idColumn, String columns, String lane,
            String order, int limit, RowReader<T> reader) throws SQLException {
        Instant now = clock.instant();
        List<T> claimed = new ArrayList<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + columns + " FROM " + table + " WHERE "
                + (lane == null ? "" : "lane = ? AND ")
                // the live states first: the (state, ...) indexes then skip every settled row, however many
                + "state IN ('PENDING', 'DEFERRED', 'IN_PROGRESS')"
                + " AND ((state IN ('PENDING', 'DEFERRED') AND next_attempt_at <= ?)"
                + " OR (state = 'IN_PROGRESS' AND lease_expires_at < ?))"
                + " ORDER BY " + order + " FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED")) {
            int index = 1;
            if (lane != null) {
                select.setString(index++, lane);
            }
            select.setObject(index++, utc(now));
            select.setObject(index++, utc(now));
            select.setInt(index, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String token = Leases.newToken();
                    T item = reader.read(rows, token);
                    if (item == null) {
                        continue; // the reader passes this row over: it stays as it is, for a later claim
                    }
                    leases.claim(table, idColumn, rows.getString(1), token, now);
                    tokens.put(rows.getString(1), token);
                    claimed.add(item);
                }
            }
        }
        if (!tokens.isEmpty()) {
            try (PreparedStatement lease = connection.prepareStatement("UPDATE " + table + " SET state = 'IN_PROGRESS',"
                    + " attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?, claim_token = ?, updated_at = ?"
                    + " WHERE " + idColumn + " = ?")) {
                for (Map.Entry<String, String> claim : tokens.entrySet()) {
                    lease.setString(1, nodeId);
                    lease.setObject(2, utc(now.plusSeconds(leaseSeconds)));
                    lease.setString(3, claim.getValue());
                    lease.setObject(4, utc(now));
                    lease.setString(5, claim.getKey());
                    lease.addBatch();
                }
                lease.executeBatch();
            }
        }
        return claimed;
    }

    /** Runs one statement with its parameters bound in order (an Instant as UTC); the number of rows it changed. */
    private static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object parameter = parameters[i];
                statement.setObject(i + 1, parameter instanceof Instant instant ? utc(instant) : parameter);
            }
            return statement.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            try {
                connection.setAutoCommit(false);
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackOrEvict(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerUnavailableException("ledger unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Rolls back; a connection that is broken (the database went away) is evicted from the pool. The pool would keep
     * it otherwise: it evicts only on SQLState 08xxx, and busy lanes never let a connection idle long enough to be
     * re-validated, so the ledger would stay "unavailable" after the database is back.
     */
    private void rollbackOrEvict(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException broken) {
            // checked below
        }
        try {
            if (!connection.isValid(2) && dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            }
        } catch (SQLException broken) {
            if (dataSource instanceof HikariDataSource pool) {
                pool.evictConnection(connection);
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= ERROR_TEXT_LIMIT ? text : text.substring(0, ERROR_TEXT_LIMIT);
    }
}
