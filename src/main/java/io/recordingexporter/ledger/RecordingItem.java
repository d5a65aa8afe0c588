package io.recordingexporter.ledger;

import java.time.Instant;

/**
 * One recording as the ledger knows it: identity, lane, hold, and the Genesys metadata it was discovered with.
 * Immutable: each pipeline step that learns something returns a new object.
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
        int attempts) {

    public RecordingItem inLane(String newLane) {
        return new RecordingItem(recordingId, conversationId, media, newLane, legalHold, legalHoldSource,
                conversationStart, metadataJson, attempts);
    }
}
