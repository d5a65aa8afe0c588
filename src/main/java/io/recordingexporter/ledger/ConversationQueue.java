package io.recordingexporter.ledger;

import static io.recordingexporter.ledger.LedgerStore.utc;
import static io.recordingexporter.ledger.LedgerStore.truncate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The queue of conversations: claims for listing and relisting under this node's lease, and their outcome (listed and
 * routed, or asked again). They enter it through {@link ConversationIntake}.
 */
public final class ConversationQueue {

    private final LedgerStore store;

    public ConversationQueue(LedgerStore store) {
        this.store = store;
    }

    /**
     * Claims conversations due for listing under this node's lease: first those never listed (or whose listing failed),
     * at most {@code maxAttributeReads} of them still needing their legal-hold attribute read (each costs a Genesys call
     * before the batch can be routed: a batch needing no more reads than the budget's burst is routed within seconds),
     * then, up to {@code limit}, listed ones whose next relisting is due (they stay EXPANDED meanwhile).
     */
    public List<ClaimedConversation> claimConversations(int limit, int maxAttributeReads) {
        return store.inTransaction(connection -> {
            int[] reads = {0};
            List<ClaimedConversation> claimed = store.claimDue(connection, "conversation_work", "conversation_id",
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
            + " media_filter, hold_attribute_read, missing_wait_seconds, hold_only, recording_filter";

    private static ClaimedConversation claimedConversation(ResultSet rows, boolean relisting, String token)
            throws SQLException {
        long missingWait = rows.getLong(7);
        return new ClaimedConversation(rows.getString(1), rows.getBoolean(2), rows.getString(3),
                rows.getInt(4) + (relisting ? 0 : 1), rows.getString(5), rows.getBoolean(6), relisting,
                rows.wasNull() ? null : java.time.Duration.ofSeconds(missingWait), token, rows.getBoolean(8),
                rows.getString(9));
    }

    /** Listed conversations whose relisting is due and that nobody holds, leased to this node. */
    private List<ClaimedConversation> claimRelists(Connection connection, int limit) throws SQLException {
        Instant now = store.now();
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
                    store.leases().claim("conversation_work", "conversation_id", rows.getString(1), token, now);
                    claimed.add(claimedConversation(rows, true, token));
                }
            }
        }
        try (PreparedStatement lease = connection.prepareStatement("UPDATE conversation_work SET lease_owner = ?,"
                + " lease_expires_at = ?, claim_token = ?, updated_at = ? WHERE conversation_id = ?")) {
            for (ClaimedConversation conversation : claimed) {
                lease.setString(1, store.nodeId());
                lease.setObject(2, utc(now.plusSeconds(store.leaseSeconds())));
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
     * The conversation is asked again at {@code nextAttempt}, or given up (FAILED) when that is null; false when the
     * claim was lost (nothing changed).
     */
    public boolean rescheduleConversation(ClaimedConversation conversation, String error, Instant nextAttempt) {
        return store.release("conversation_work", "conversation_id", conversation.conversationId(), conversation.claimToken(),
                nextAttempt == null ? ItemState.FAILED : ItemState.PENDING, error,
                nextAttempt == null ? store.now() : nextAttempt);
    }

    /** A relisting that failed: the conversation stays EXPANDED and is listed again at {@code nextRelist}. */
    public boolean rescheduleRelist(ClaimedConversation conversation, String error, Instant nextRelist) {
        return store.inTransaction(connection -> store.fenced(connection, "conversation_work", "conversation_id",
                conversation.conversationId(), conversation.claimToken(), "relist_at = ?, last_error = ?",
                nextRelist, truncate(error)));
    }

    /**
     * The conversations' recordings are listed and routed: EXPANDED, with the legal hold decided for them (a hold, once
     * recorded, is never taken back here) and when each is to be listed again (null: settled).
     */
    public void markAllExpanded(List<ListedConversation> listed) {
        if (listed.isEmpty()) {
            return;
        }
        store.inTransaction(connection -> {
            Instant now = store.now();
            try (PreparedStatement update = connection.prepareStatement("UPDATE conversation_work SET state = 'EXPANDED',"
                    + " legal_hold = (legal_hold OR ?), legal_hold_source = COALESCE(?, legal_hold_source),"
                    + " hold_attribute_read = (hold_attribute_read OR ?), last_error = NULL, next_attempt_at = ?,"
                    + " conversation_end = COALESCE(?, conversation_end), relist_at = ?, relists = relists + ?,"
                    + " missing_media = ?, missing_wait_seconds = ?, lease_owner = NULL, lease_expires_at = NULL,"
                    + " claim_token = NULL, updated_at = ?, skipped_not_held = ? WHERE "
                    + Leases.fence("conversation_id"))) {
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
                    update.setBoolean(11, conversation.skippedNotHeld());
                    update.setString(12, conversation.conversationId());
                    update.setString(13, store.nodeId());
                    update.setString(14, conversation.claimToken());
                    update.addBatch();
                    store.leases().released("conversation_work", conversation.conversationId());
                }
                update.executeBatch();
            }
            // a relisting may find a hold the first listing did not: the recordings already listed get it too
            for (ListedConversation conversation : listed) {
                if (conversation.legalHold()) {
                    LegalHoldRecords.holdRecordings(connection, conversation.conversationId(), conversation.legalHoldSource(), now);
                }
            }
            return null;
        });
    }
}
