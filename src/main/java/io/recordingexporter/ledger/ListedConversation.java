package io.recordingexporter.ledger;

import java.time.Duration;
import java.time.Instant;

/**
 * A conversation whose recordings have been listed and routed: the legal hold decided for it (held or not, the sources
 * that hold it, whether its participants' attribute was read), when it ended, whether this was a relisting, the media
 * its sessions show that no listed recording has (comma-separated, null: none), and when it is to be listed again
 * (null: settled), with the missing-medium wait that time was chosen with; and the token of the claim it was listed
 * under (the ledger's update is fenced by it). {@code skippedNotHeld}: taken in for its legal hold alone and found not
 * held, so nothing of it was queued.
 */
public record ListedConversation(String conversationId, boolean legalHold, String legalHoldSource,
        boolean holdAttributeRead, Instant conversationEnd, boolean relisting, String missingMedia, Instant relistAt,
        Duration missingWait, String claimToken, boolean skippedNotHeld) {

    public ListedConversation(String conversationId, boolean legalHold, String legalHoldSource,
            boolean holdAttributeRead, Instant conversationEnd, boolean relisting, String missingMedia,
            Instant relistAt, Duration missingWait, String claimToken) {
        this(conversationId, legalHold, legalHoldSource, holdAttributeRead, conversationEnd, relisting, missingMedia,
                relistAt, missingWait, claimToken, false);
    }

    /** Taken in by a legal-hold-only backfill, and not under legal hold: listed, nothing queued, never relisted. */
    public static ListedConversation skippedNotHeld(String conversationId, boolean holdAttributeRead,
            Instant conversationEnd, boolean relisting, String claimToken) {
        return new ListedConversation(conversationId, false, null, holdAttributeRead, conversationEnd, relisting, null,
                null, null, claimToken, true);
    }
}
