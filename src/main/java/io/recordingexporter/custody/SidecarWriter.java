package io.recordingexporter.custody;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.domain.FetchedRecording;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.SpooledMedia;
import io.recordingexporter.domain.StoredRecording;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Writes the metadata sidecar beside a stored media object: the Genesys recording metadata as Genesys sent it, plus a
 * {@code custody} block that proves the media object (its SHA-256, S3 version, the checksum S3 verified, the hold, and
 * the hash of the STORED audit entry, which is why the sidecar is written after that entry). Written through the SDK,
 * not an {@code aws2-s3:} endpoint: a sidecar of a held recording carries an Object Lock legal hold and a verified
 * checksum, and a sidecar is written only where none is yet ({@code If-None-Match: *}, or a HEAD where the server
 * ignores it); the component's producer sets none of these per message.
 */
public class SidecarWriter {

    private final CustodyBucket bucket;
    private final ObjectMapper json;
    private final Clock clock;
    private final String exporterVersion;

    public SidecarWriter(CustodyBucket bucket, ObjectMapper json, Clock clock) {
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
        String version = SidecarWriter.class.getPackage().getImplementationVersion();
        this.exporterVersion = version == null ? "development" : version;
    }

    /**
     * The sidecar of a stored recording, written once its STORED entry is in the audit trail so that it can name that
     * entry's hash; an existing sidecar (an earlier attempt's) is kept. What the sidecar in S3 now says about the hold
     * goes to the ledger with the rest: a sidecar that does not say what the ledger says is written anew later.
     */
    public FetchedRecording write(FetchedRecording fetched) throws IOException {
        return bucket.guarded(() -> fetched.withStored(writeOnce(fetched)));
    }

    private StoredRecording writeOnce(FetchedRecording fetched) throws IOException {
        String key = bucket.layout().sidecarKey(fetched.item());
        boolean hold = fetched.stored().objectLegalHold();
        if (bucket.conditionalWrites().honoured()) {
            // one round trip in the usual case: the write itself says (412) when an earlier attempt wrote first
            try {
                String version = put(key, document(fetched), hold, true);
                return fetched.stored().withSidecar(fetched.item().legalHold(), version);
            } catch (S3Exception e) {
                if (e.statusCode() != ConditionalWrites.PRECONDITION_FAILED) {
                    throw e;
                }
            }
        }
        Optional<HeadObjectResponse> existing = bucket.head(key);
        if (existing.isPresent()) {
            // written by an earlier attempt that stopped before the ledger heard of it: kept, and read for its hold
            JsonNode kept;
            try (InputStream in = bucket.s3().getObject(request -> request.bucket(bucket.name()).key(key)
                    .versionId(existing.get().versionId()))) {
                kept = json.readTree(in);
            }
            return fetched.stored().withSidecar(kept.path("custody").path("legalHold").asBoolean(false),
                    existing.get().versionId());
        }
        String version = put(key, document(fetched), hold, false);
        return fetched.stored().withSidecar(fetched.item().legalHold(), version);
    }

    /**
     * Writes a sidecar document as a JSON object at {@code key}, with the checksum the server verifies, SSE-KMS as
     * configured and, with {@code hold}, an Object Lock legal hold (the custody record is held with its media); the
     * version S3 gave it.
     */
    String put(String key, ObjectNode document, boolean hold) throws IOException {
        return put(key, document, hold, false);
    }

    /** The same, with {@code ifAbsent} written only where no object is at the key yet ({@code If-None-Match: *}). */
    private String put(String key, ObjectNode document, boolean hold, boolean ifAbsent) throws IOException {
        byte[] body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        byte[] sha256 = Digests.sha256(body);
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket.name())
                .key(key)
                .contentType("application/json")
                .contentLength((long) body.length)
                .metadata(Map.of(CustodyWriter.SHA256_METADATA, Digests.hex(sha256)));
        if (hold) {
            bucket.objectLock().requireHolds();
            request.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        }
        if (ifAbsent) {
            request.ifNoneMatch("*");
        }
        PutObjectRequest put = bucket.verified(request, bucket.serverChecksum().verified(), Digests.base64(sha256),
                Digests.base64(Digests.md5(body))).build();
        return bucket.s3().putObject(put, RequestBody.fromBytes(body)).versionId();
    }

    /** The Genesys recording metadata as Genesys sent it, plus what proves the custody of the media object. */
    ObjectNode document(FetchedRecording fetched) throws IOException {
        RecordingItem item = fetched.item();
        SpooledMedia media = fetched.media();
        StoredRecording stored = fetched.stored();
        ObjectNode document = (ObjectNode) json.readTree(item.metadataJson());
        ObjectNode custody = document.putObject("custody");
        custody.put("sha256", media.sha256Hex());
        custody.put("sizeBytes", media.sizeBytes());
        custody.put("contentType", media.contentType());
        custody.put("sourceUriHost", media.sourceHost());
        custody.put("fetchedAt", media.fetchedAt().toString());
        custody.put("storedAt", clock.instant().toString());
        custody.put("s3Bucket", bucket.name());
        custody.put("s3Key", stored.key());
        custody.put("s3VersionId", stored.versionId());
        custody.put("serverVerifiedChecksum", stored.serverChecksum());
        custody.put("legalHold", item.legalHold());
        custody.put("legalHoldSource", item.legalHoldSource());
        custody.put("objectLockLegalHold", stored.objectLegalHold() ? "ON" : "OFF");
        custody.put("lane", item.lane());
        custody.put("attempts", item.attempts());
        custody.put("auditEntryHash", fetched.auditEntryHash());
        custody.put("exporterVersion", exporterVersion);
        return document;
    }
}
