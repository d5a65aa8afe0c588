package io.recordingexporter.ledger;

import java.time.Duration;
import java.util.List;

/**
 * A claimed conversation, with the number of this attempt (1 for the first), the media a backfill asked for
 * (comma-separated recording media; null: every recording), whether its legal-hold attribute was read, whether it
 * was listed before (a relisting), the wait chosen for a medium missing at its last listing (null: none), the
 * token of this claim (its completion is fenced by it), whether only a legal-hold-only backfill asked for it (it
 * is then exported only if held), and the recordings a rescue asked for (comma-separated ids; null: every one).
 */
public record ClaimedConversation(String conversationId, boolean legalHold, String legalHoldSource, int attempt,
        String mediaFilter, boolean holdAttributeRead, boolean relisting, Duration missingWait, String claimToken,
        boolean holdOnly, String recordingFilter) {

    /** Whether this recording is wanted: every one, unless a rescue asked for some alone. */
    public boolean wantsRecording(String recordingId) {
        return recordingFilter == null || List.of(recordingFilter.split(",")).contains(recordingId);
    }

    public boolean wants(String media) {
        return mediaFilter == null || List.of(mediaFilter.split(",")).contains(media);
    }
}
