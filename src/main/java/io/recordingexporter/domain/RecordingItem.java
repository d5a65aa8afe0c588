package io.recordingexporter.domain;

import java.time.Instant;

/**
 * One recording as the ledger knows it: identity, lane, hold, the Genesys metadata it was discovered with, the media
 * link its last batch download gave (null before the first), and, once claimed, the token of the claim (every
 * completion of this attempt is fenced by it; null for an item not claimed). Immutable: each pipeline step that learns
 * something returns a new object.
 */
public record RecordingItem(
        String recordingId,
        String conversationId,
        String media,
        String lane,
        boolean legalHold,
        String legalHoldSource,
        Instant conversationStart,
        String metadataJson,
        int attempts,
        MediaLink mediaLink,
        String claimToken) {

    /** A recording just listed, not claimed yet. */
    public RecordingItem(String recordingId, String conversationId, String media, String lane, boolean legalHold,
            String legalHoldSource, Instant conversationStart, String metadataJson, int attempts, MediaLink mediaLink) {
        this(recordingId, conversationId, media, lane, legalHold, legalHoldSource, conversationStart, metadataJson,
                attempts, mediaLink, null);
    }

    public RecordingItem inLane(String newLane) {
        return new RecordingItem(recordingId, conversationId, media, newLane, legalHold, legalHoldSource,
                conversationStart, metadataJson, attempts, mediaLink, claimToken);
    }

    public RecordingItem withMediaLink(MediaLink link) {
        return new RecordingItem(recordingId, conversationId, media, lane, legalHold, legalHoldSource,
                conversationStart, metadataJson, attempts, link, claimToken);
    }
}
