package io.recordingexporter.domain;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A recording's media on local disk, with the digests computed while it streamed in: the SHA-256 that follows it into
 * S3 and the audit trail, and the MD5 for servers that verify only {@code Content-MD5}.
 */
public record SpooledMedia(Path file, long sizeBytes, String sha256Hex, String sha256Base64, String md5Base64,
        String contentType, String extension, String sourceHost, Instant fetchedAt) {}
