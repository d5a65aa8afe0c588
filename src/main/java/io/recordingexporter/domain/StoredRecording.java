package io.recordingexporter.domain;

/**
 * Where a recording now is in S3 and what proves it: the key, the version S3 assigned, the SHA-256 and size of the
 * bytes, which checksum the S3 server itself verified on the write ({@code x-amz-checksum-sha256} or
 * {@code Content-MD5}), and once its sidecar is in S3, the legal hold that sidecar states and its version.
 */
public record StoredRecording(String key, String versionId, String sha256, long sizeBytes, String serverChecksum,
        boolean adopted, boolean objectLegalHold, boolean sidecarLegalHold, String sidecarVersionId) {

    public StoredRecording(String key, String versionId, String sha256, long sizeBytes, String serverChecksum,
            boolean adopted, boolean objectLegalHold) {
        this(key, versionId, sha256, sizeBytes, serverChecksum, adopted, objectLegalHold, false, null);
    }

    /** The same, with the sidecar now in S3: the hold it states and its version. */
    public StoredRecording withSidecar(boolean legalHold, String versionId) {
        return new StoredRecording(key, this.versionId, sha256, sizeBytes, serverChecksum, adopted, objectLegalHold,
                legalHold, versionId);
    }
}
