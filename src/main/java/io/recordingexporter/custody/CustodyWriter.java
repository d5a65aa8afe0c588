package io.recordingexporter.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.SpooledMedia;
import io.recordingexporter.domain.StoredRecording;
import io.recordingexporter.resilience.CircuitBreaker;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes a fetched recording into S3: the media object with a checksum the server verifies, then its metadata sidecar.
 * A media key gets one version only (with versioning or Object Lock a second PUT would keep a second copy forever):
 * where the server honours {@code If-None-Match: *} ({@link ConditionalWrites}) the write is conditional and a 412
 * means somebody wrote first; elsewhere the key is looked at (HEAD) before the write. Either way an object already at
 * the key with the same SHA-256 is adopted; different bytes at the key stop the export.
 */
public class CustodyWriter {

    static final String SHA256_METADATA = "sha256";
    private static final int NOT_FOUND = 404;

    private final S3Client s3;
    private final String bucket;
    private final S3KeyLayout layout;
    private final ServerChecksum serverChecksum;
    private final ConditionalWrites conditionalWrites;
    private final ObjectMapper json;
    private final Clock clock;
    private final String exporterVersion;

    private final CircuitBreaker s3Breaker;
    private final ObjectEncryption encryption;
    private final ObjectLock objectLock;
    private final long multipartThreshold;
    private final MultipartWrite multipart;

    /**
     * @param multipartThreshold media larger than this many bytes is written in parts of {@code partSize} bytes
     */
    public CustodyWriter(S3Client s3, String bucket, S3KeyLayout layout, ServerChecksum serverChecksum,
            ConditionalWrites conditionalWrites, ObjectEncryption encryption, ObjectLock objectLock,
            long multipartThreshold, long partSize, ObjectMapper json, CircuitBreaker s3Breaker, Clock clock) {
        this.s3 = s3;
        this.conditionalWrites = conditionalWrites;
        this.objectLock = objectLock;
        this.encryption = encryption;
        this.multipartThreshold = multipartThreshold;
        this.multipart = new MultipartWrite(s3, bucket, partSize, encryption);
        this.s3Breaker = s3Breaker;
        this.bucket = bucket;
        this.layout = layout;
        this.serverChecksum = serverChecksum;
        this.json = json;
        this.clock = clock;
        String version = CustodyWriter.class.getPackage().getImplementationVersion();
        this.exporterVersion = version == null ? "development" : version;
    }

    /**
     * Stores the media, then deletes the spool file (the sidecar follows the STORED audit entry: {@link #writeSidecar}). On a failure the spool file stays, so an inline
     * redelivery can try the write again; the export's error policy discards it once the attempt is given up.
     */
    public FetchedRecording store(FetchedRecording fetched) throws IOException {
        s3Breaker.check();
        try {
            FetchedRecording stored = write(fetched);
            s3Breaker.succeeded();
            return stored;
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            // S3 could not be reached: a refused checksum or a 4xx says nothing about S3 being down
            s3Breaker.failed();
            throw e;
        }
    }

    private FetchedRecording write(FetchedRecording fetched) throws IOException {
        RecordingItem item = fetched.item();
        SpooledMedia media = fetched.media();
        String key = layout.mediaKey(item, media.extension());
        String checksum = serverChecksum.verified();
        boolean hold = objectLock.holds() && item.legalHold();
        if (hold) {
            objectLock.requireHolds();
        }
        boolean conditional = conditionalWrites.honoured();
        StoredRecording stored = conditional ? null : adoptExisting(key, media, checksum);
        if (stored == null) {
            try {
                String versionId;
                if (media.sizeBytes() > multipartThreshold) {
                    versionId = multipart.upload(key, media.file(), media.sizeBytes(), media.contentType(),
                            mediaMetadata(item, media), checksum, media.sha256Hex(), hold, conditional);
                } else {
                    PutObjectRequest.Builder put = mediaRequest(item, media, key, checksum, hold).toBuilder();
                    if (conditional) {
                        put.ifNoneMatch("*");
                    }
                    versionId = s3.putObject(put.build(), RequestBody.fromFile(media.file())).versionId();
                }
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

    /**
     * The object already at the key, adopted when it holds the fetched bytes (whether the earlier write held it is not
     * known here; the hold reconciler makes sure); null when the key is free; different bytes stop the export.
     */
    private StoredRecording adoptExisting(String key, SpooledMedia media, String checksum) {
        Optional<HeadObjectResponse> existing = head(key);
        if (existing.isEmpty()) {
            return null;
        }
        String existingSha = existing.get().metadata().get(SHA256_METADATA);
        if (!media.sha256Hex().equals(existingSha)) {
            throw new CustodyConflictException("s3://" + bucket + "/" + key + " already holds other bytes (sha256 "
                    + existingSha + ", fetched " + media.sha256Hex() + ")");
        }
        return new StoredRecording(key, existing.get().versionId(), media.sha256Hex(), media.sizeBytes(), checksum,
                true, false);
    }

    /**
     * The sidecar of a stored recording, written once its STORED entry is in the audit trail so that it can name that
     * entry's hash; an existing sidecar (an earlier attempt's) is kept. What the sidecar in S3 now says about the hold
     * goes to the ledger with the rest: a sidecar that does not say what the ledger says is written anew later.
     */
    public FetchedRecording writeSidecar(FetchedRecording fetched) throws IOException {
        s3Breaker.check();
        try {
            FetchedRecording written = fetched.withStored(writeSidecar(fetched, fetched.stored().serverChecksum()));
            s3Breaker.succeeded();
            return written;
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            s3Breaker.failed();
            throw e;
        }
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

    private PutObjectRequest mediaRequest(RecordingItem item, SpooledMedia media, String key, String checksum,
            boolean hold) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentLength(media.sizeBytes())
                .metadata(mediaMetadata(item, media));
        if (media.contentType() != null) {
            request.contentType(media.contentType());
        }
        if (hold) {
            request.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        }
        return withChecksum(encryption.applyTo(request), checksum, media.sha256Base64(), media.md5Base64()).build();
    }

    private StoredRecording writeSidecar(FetchedRecording fetched, String checksum) throws IOException {
        String key = layout.sidecarKey(fetched.item());
        if (conditionalWrites.honoured()) {
            // one round trip in the usual case: the write itself says (412) when an earlier attempt wrote first
            try {
                String version = putSidecar(key, sidecar(fetched, checksum), fetched.stored().objectLegalHold(), true);
                return fetched.stored().withSidecar(fetched.item().legalHold(), version);
            } catch (S3Exception e) {
                if (e.statusCode() != ConditionalWrites.PRECONDITION_FAILED) {
                    throw e;
                }
            }
        }
        Optional<HeadObjectResponse> existing = head(key);
        if (existing.isPresent()) {
            // written by an earlier attempt that stopped before the ledger heard of it: kept, and read for its hold
            JsonNode kept;
            try (java.io.InputStream in = s3.getObject(request -> request.bucket(bucket).key(key)
                    .versionId(existing.get().versionId()))) {
                kept = json.readTree(in);
            }
            return fetched.stored().withSidecar(kept.path("custody").path("legalHold").asBoolean(false),
                    existing.get().versionId());
        }
        String version = putSidecar(key, sidecar(fetched, checksum), fetched.stored().objectLegalHold());
        return fetched.stored().withSidecar(fetched.item().legalHold(), version);
    }

    /**
     * Writes a sidecar document as a JSON object at {@code key}, with the checksum the server verifies, SSE-KMS as
     * configured and, with {@code hold}, an Object Lock legal hold (the custody record is held with its media); the
     * version S3 gave it.
     */
    String putSidecar(String key, ObjectNode document, boolean hold) throws IOException {
        return putSidecar(key, document, hold, false);
    }

    /** The same, with {@code ifAbsent} written only where no object is at the key yet ({@code If-None-Match: *}). */
    private String putSidecar(String key, ObjectNode document, boolean hold, boolean ifAbsent) throws IOException {
        byte[] body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("application/json")
                .contentLength((long) body.length)
                .metadata(Map.of(SHA256_METADATA, hex(digest("SHA-256", body))));
        if (hold) {
            objectLock.requireHolds();
            request.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        }
        if (ifAbsent) {
            request.ifNoneMatch("*");
        }
        return s3.putObject(withChecksum(encryption.applyTo(request), serverChecksum.verified(),
                base64(digest("SHA-256", body)), base64(digest("MD5", body))).build(), RequestBody.fromBytes(body))
                .versionId();
    }

    /** The Genesys recording metadata as Genesys sent it, plus what proves the custody of the media object. */
    ObjectNode sidecar(FetchedRecording fetched, String checksum) throws IOException {
        RecordingItem item = fetched.item();
        SpooledMedia media = fetched.media();
        ObjectNode document = (ObjectNode) json.readTree(item.metadataJson());
        ObjectNode custody = document.putObject("custody");
        custody.put("sha256", media.sha256Hex());
        custody.put("sizeBytes", media.sizeBytes());
        custody.put("contentType", media.contentType());
        custody.put("sourceUriHost", media.sourceHost());
        custody.put("fetchedAt", media.fetchedAt().toString());
        custody.put("storedAt", clock.instant().toString());
        custody.put("s3Bucket", bucket);
        custody.put("s3Key", fetched.stored().key());
        custody.put("s3VersionId", fetched.stored().versionId());
        custody.put("serverVerifiedChecksum", checksum);
        custody.put("legalHold", item.legalHold());
        custody.put("legalHoldSource", item.legalHoldSource());
        custody.put("objectLockLegalHold", fetched.stored().objectLegalHold() ? "ON" : "OFF");
        custody.put("lane", item.lane());
        custody.put("attempts", item.attempts());
        custody.put("auditEntryHash", fetched.auditEntryHash());
        custody.put("exporterVersion", exporterVersion);
        return document;
    }

    private static PutObjectRequest.Builder withChecksum(PutObjectRequest.Builder request, String checksum,
            String sha256Base64, String md5Base64) {
        return ServerChecksum.SHA256.equals(checksum) ? request.checksumSHA256(sha256Base64) : request.contentMD5(md5Base64);
    }

    private Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
