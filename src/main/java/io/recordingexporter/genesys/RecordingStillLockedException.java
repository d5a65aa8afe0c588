package io.recordingexporter.genesys;

/**
 * A recording that answered 409 (a metadata lock) was read again and nothing about it has changed: it is not worth a
 * media call yet. Classified as a conflict, so it waits its growing backoff in the ledger.
 */
public class RecordingStillLockedException extends Exception {

    public RecordingStillLockedException(String recordingId) {
        super("recording " + recordingId + " is still locked: its metadata has not changed since the last 409");
    }
}
