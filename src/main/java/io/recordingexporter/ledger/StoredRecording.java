package io.recordingexporter.ledger;

/**
 * Where a recording now is in S3 and what proves it: the key, the version S3 assigned, the SHA-256 and size of the
 * bytes, and which checksum the S3 server itself verified on the write ({@code x-amz-checksum-sha256} or
 * {@code Content-MD5}).
 */
public record StoredRecording(String key, String versionId, String sha256, long sizeBytes, String serverChecksum,
        boolean adopted, boolean objectLegalHold) {}
