package io.recordingexporter.ledger;

import java.time.Instant;

/**
 * One recording as the ledger knows it: identity, lane, hold, the Genesys metadata it was discovered with, and the
 * media link its last batch download gave (null before the first). Immutable: each pipeline step that learns
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
        MediaLink mediaLink) {

    public RecordingItem inLane(String newLane) {
        return new RecordingItem(recordingId, conversationId, media, newLane, legalHold, legalHoldSource,
                conversationStart, metadataJson, attempts, mediaLink);
    }

    public RecordingItem withMediaLink(MediaLink link) {
        return new RecordingItem(recordingId, conversationId, media, lane, legalHold, legalHoldSource,
                conversationStart, metadataJson, attempts, link);
    }
}
