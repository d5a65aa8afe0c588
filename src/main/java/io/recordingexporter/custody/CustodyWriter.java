package io.recordingexporter.custody;

import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.SpooledMedia;
import io.recordingexporter.domain.StoredRecording;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a fetched recording's media object into S3 with a checksum the server verifies (its sidecar is the
 * {@link SidecarWriter}'s). A media key gets one version only (with versioning or Object Lock a second PUT would keep
 * a second copy forever): where the server honours {@code If-None-Match: *} ({@link ConditionalWrites}) the write is
 * conditional and a 412 means somebody wrote first; elsewhere the key is looked at (HEAD) before the write. Either way
 * an object already at the key with the same SHA-256 is adopted; different bytes at the key stop the export. Written
 * through the SDK rather than an {@code aws2-s3:} endpoint because the component cannot express what custody needs
 * here: per-part checksums on a multipart upload that keeps metadata and SSE-KMS, an Object Lock legal hold on the
 * PUT, and a conditional PUT with its 412 answered by adoption.
 */
public class CustodyWriter {

    static final String SHA256_METADATA = "sha256";

    private final CustodyBucket bucket;
    private final long multipartThreshold;
    private final MultipartWrite multipart;

    /**
     * @param multipartThreshold media larger than this many bytes is written in parts of {@code partSize} bytes
     */
    public CustodyWriter(CustodyBucket bucket, long multipartThreshold, long partSize) {
        this.bucket = bucket;
        this.multipartThreshold = multipartThreshold;
        this.multipart = new MultipartWrite(bucket.s3(), bucket.name(), partSize, bucket.encryption());
    }

    /**
     * Stores the media, then deletes the spool file (the sidecar follows the STORED audit entry). On a failure the
     * spool file stays, so an inline redelivery can try the write again; the export's error policy discards it once
     * the attempt is given up.
     */
    public FetchedRecording store(FetchedRecording fetched) throws IOException {
        return bucket.guarded(() -> write(fetched));
    }

    private FetchedRecording write(FetchedRecording fetched) throws IOException {
        RecordingItem item = fetched.item();
        SpooledMedia media = fetched.media();
        String key = bucket.layout().mediaKey(item, media.extension());
        String checksum = bucket.serverChecksum().verified();
        boolean hold = bucket.objectLock().holds() && item.legalHold();
        if (hold) {
            bucket.objectLock().requireHolds();
        }
        boolean conditional = bucket.conditionalWrites().honoured();
        StoredRecording stored = conditional ? null : adoptExisting(key, media, checksum);
        if (stored == null) {
            try {
                String versionId = put(item, media, key, checksum, hold, conditional);
                stored = new StoredRecording(key, versionId, media.sha256Hex(), media.sizeBytes(), checksum, false,
                        hold);
            } catch (S3Exception e) {
                if (!conditional || e.statusCode() != ConditionalWrites.PRECONDITION_FAILED) {
                    throw e;
                }
                // somebody wrote the key first: the same bytes are adopted, never written as a second version
                stored = adoptExisting(key, media, checksum);
                if (stored == null) {
                    throw e;
                }
            }
        }
        Files.deleteIfExists(media.file());
        return fetched.withStored(stored);
    }

    /** One PUT, or a multipart upload for large media; the version S3 gave the object. */
    private String put(RecordingItem item, SpooledMedia media, String key, String checksum, boolean hold,
            boolean ifAbsent) throws IOException {
        if (media.sizeBytes() > multipartThreshold) {
            return multipart.upload(new MultipartWrite.Upload(key, media.file(), media.sizeBytes(),
                    media.contentType(), mediaMetadata(item, media), checksum, media.sha256Hex(), hold, ifAbsent));
        }
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket.name())
                .key(key)
                .contentLength(media.sizeBytes())
                .metadata(mediaMetadata(item, media));
        if (media.contentType() != null) {
            request.contentType(media.contentType());
        }
        if (hold) {
            request.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        }
        if (ifAbsent) {
            request.ifNoneMatch("*");
        }
        PutObjectRequest put = bucket.verified(request, checksum, media.sha256Base64(), media.md5Base64()).build();
        return bucket.s3().putObject(put, RequestBody.fromFile(media.file())).versionId();
    }

    /**
     * The object already at the key, adopted when it holds the fetched bytes (whether the earlier write held it is not
     * known here; the hold reconciler makes sure); null when the key is free; different bytes stop the export.
     */
    private StoredRecording adoptExisting(String key, SpooledMedia media, String checksum) {
        Optional<HeadObjectResponse> existing = bucket.head(key);
        if (existing.isEmpty()) {
            return null;
        }
        String existingSha = existing.get().metadata().get(SHA256_METADATA);
        if (!media.sha256Hex().equals(existingSha)) {
            throw new CustodyConflictException("s3://" + bucket.name() + "/" + key + " already holds other bytes (sha256 "
                    + existingSha + ", fetched " + media.sha256Hex() + ")");
        }
        return new StoredRecording(key, existing.get().versionId(), media.sha256Hex(), media.sizeBytes(), checksum,
                true, false);
    }

    /** What every media object carries: its whole SHA-256 (multipart ETags and checksums are per part) and its ids. */
    private static Map<String, String> mediaMetadata(RecordingItem item, SpooledMedia media) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(SHA256_METADATA, media.sha256Hex());
        metadata.put("conversation-id", item.conversationId());
        metadata.put("recording-id", item.recordingId());
        metadata.put("legal-hold", Boolean.toString(item.legalHold()));
        return metadata;
    }
}
