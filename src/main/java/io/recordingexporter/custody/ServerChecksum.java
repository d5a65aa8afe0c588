package io.recordingexporter.custody;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Which checksum the S3 server verifies on a PUT. AWS S3 verifies {@code x-amz-checksum-sha256}; some compatible
 * servers accept the header and ignore it. Probed once, by writing a tiny object with a deliberately wrong SHA-256:
 * a server that verifies refuses it (nothing is written); one that accepts it does not verify, the version the probe
 * wrote is deleted, and writes carry {@code Content-MD5} instead, which every S3 server verifies.
 */
public class ServerChecksum {

    public static final String SHA256 = "x-amz-checksum-sha256";
    public static final String MD5 = "Content-MD5";
    private static final int BAD_REQUEST = 400;
    private static final int NOT_IMPLEMENTED = 501;
    private static final java.util.Set<String> CHECKSUM_MISMATCH_CODES =
            java.util.Set.of("BadDigest", "InvalidDigest", "XAmzContentChecksumMismatch", "InvalidChecksum");

    private final S3Client s3;
    private final String bucket;
    private final String probePrefix;
    private final ProbedOnce<String> verified = new ProbedOnce<>(this::probe);

    public ServerChecksum(S3Client s3, String bucket, String keyPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.probePrefix = probePrefix(keyPrefix);
    }

    /** Where the start-up probes write their tiny objects (and delete them again). */
    static String probePrefix(String keyPrefix) {
        return (keyPrefix == null || keyPrefix.isBlank() ? "" : keyPrefix.replaceAll("/+$", "") + "/")
                + "_exporter-checksum-probe/";
    }

    /**
     * Deletes the version a probe wrote (by its version id where the bucket is versioned, so neither the version nor
     * a delete marker is left behind); a bucket whose retention keeps it is left alone.
     */
    static void deleteQuietly(S3Client s3, String bucket, String key, String versionId) {
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build());
        } catch (S3Exception e) {
            // a bucket with default retention keeps the probe object: harmless, and nothing else depends on it
        }
    }

    /** {@link #SHA256} or {@link #MD5}; the probe runs on first use (S3 may be down at start-up). */
    public String verified() {
        return verified.get();
    }

    /**
     * Whether a write may carry {@code Content-MD5}: true until a probe (made by the first write, never here: a media
     * fetch must not wait on S3) has found that the server verifies SHA-256.
     */
    public boolean md5Needed() {
        return !SHA256.equals(verified.known());
    }

    private String probe() {
        String key = probePrefix + UUID.randomUUID();
        byte[] content = "checksum probe".getBytes(StandardCharsets.UTF_8);
        String wrongSha256 = Base64.getEncoder().encodeToString(new byte[32]);
        String version;
        try {
            version = s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).checksumSHA256(wrongSha256).build(),
                    RequestBody.fromBytes(content)).versionId();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == BAD_REQUEST && CHECKSUM_MISMATCH_CODES.contains(code)) {
                return SHA256;
            }
            if (e.statusCode() == NOT_IMPLEMENTED) {
                return MD5;
            }
            // anything else (no such bucket, access denied, S3 down) says nothing about checksums: ask again later
            throw e;
        }
        deleteQuietly(s3, bucket, key, version);
        return MD5;
    }
}
