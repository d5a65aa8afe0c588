package io.recordingexporter.custody;

import io.recordingexporter.ledger.RecordingItem;
import io.recordingexporter.ledger.StoredRecording;

/** A recording on its way to S3: the ledger item, its spooled media, and (once written) what S3 holds. */
public record FetchedRecording(RecordingItem item, SpooledMedia media, StoredRecording stored) {

    public FetchedRecording withStored(StoredRecording result) {
        return new FetchedRecording(item, media, result);
    }
}
