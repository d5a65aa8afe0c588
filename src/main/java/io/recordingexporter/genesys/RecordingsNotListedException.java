package io.recordingexporter.genesys;

/** A conversation whose recordings Genesys does not list yet; recordings often appear minutes after the event. */
public class RecordingsNotListedException extends RuntimeException {
    public RecordingsNotListedException(String conversationId) {
        super("Genesys lists no recordings for conversation " + conversationId + " yet");
    }
}
