package io.recordingexporter.domain;


/**
 * A recording on its way to S3: the ledger item, its spooled media, once written what S3 holds, and then the hash of
 * the STORED audit entry that vouches for it (named in the sidecar).
 */
public record FetchedRecording(RecordingItem item, SpooledMedia media, StoredRecording stored, String auditEntryHash) {

    public FetchedRecording(RecordingItem item, SpooledMedia media, StoredRecording stored) {
        this(item, media, stored, null);
    }

    public FetchedRecording withStored(StoredRecording result) {
        return new FetchedRecording(item, media, result, auditEntryHash);
    }

    public FetchedRecording withAuditEntryHash(String hash) {
        return new FetchedRecording(item, media, stored, hash);
    }
}
