package io.recordingexporter.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recordingexporter.custody.Digests;
import io.recordingexporter.custody.ObjectEncryption;
import io.recordingexporter.custody.ObjectLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Anchors the audit chain outside the service's own disk, as CloudTrail does with its digest files: every interval
 * (and at shutdown) a small JSON object goes to S3 under {@code {prefix}/_audit/digests/{nodeId}/} with the node, the
 * last entry's {@code seq} and hash, the entry count, and the key and SHA-256 of the digest before it, so the digests
 * of each replica's chain form a chain of their own beside the other replicas'. Written with a checksum, SSE-KMS when configured and an Object Lock legal hold when holds are on. Rewriting
 * the local trail, even consistently, no longer matches the digests already in S3. Written through the SDK rather than
 * an {@code aws2-s3:} endpoint: the component sets no Object Lock legal hold nor S3 Bucket Key, and the last digest is
 * written at shutdown, after the routes have stopped.
 */
public class AuditDigests {

    public static final String STATE_FILE = "digest-state.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A digest now in S3; {@code anchoredFor} names the silent replica whose chain it anchored (null: this one's). */
    public record Published(String key, String sha256, long lastSeq, String anchoredFor) {}

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String nodeId;
    private final AuditTrail trail;
    private final Path stateFile;
    private final ObjectEncryption encryption;
    private final ObjectLock objectLock;
    private final Clock clock;
    private final ChainAnchors anchors;

    public AuditDigests(S3Client s3, String bucket, String prefix, String nodeId, AuditTrail trail, Path auditDir,
            ObjectEncryption encryption, ObjectLock objectLock, Clock clock) {
        this(s3, bucket, prefix, nodeId, trail, auditDir, encryption, objectLock, clock, null);
    }

    /**
     * @param nodeId the replica whose chain this is: its digests have a folder of their own and name it
     * @param anchors where the replicas' last digests are kept when they share a ledger (null: the state file alone)
     */
    public AuditDigests(S3Client s3, String bucket, String prefix, String nodeId, AuditTrail trail, Path auditDir,
            ObjectEncryption encryption, ObjectLock objectLock, Clock clock, ChainAnchors anchors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isBlank() ? "" : prefix.replaceAll("/+$", "") + "/";
        this.nodeId = nodeId;
        this.trail = trail;
        this.stateFile = auditDir.resolve(STATE_FILE);
        this.encryption = encryption;
        this.objectLock = objectLock;
        this.clock = clock;
        this.anchors = anchors;
        this.lastDigest = lastDigestOnDisk(stateFile);
    }

    /** The digest the state file records from an earlier run, dated by the file; null when there is none to read. */
    private static LastDigest lastDigestOnDisk(Path stateFile) {
        try {
            if (!Files.exists(stateFile)) {
                return null;
            }
            JsonNode state = JSON.readTree(stateFile.toFile());
            return new LastDigest(state.path("lastSeq").asLong(0),
                    Files.getLastModifiedTime(stateFile).toInstant());
        } catch (IOException e) {
            return null; // publish() reads it again and says what is wrong
        }
    }

    /** Where the digests of this exporter live. */
    public static String digestsPrefix(String prefix) {
        return (prefix == null || prefix.isBlank() ? "" : prefix.replaceAll("/+$", "") + "/") + "_audit/digests/";
    }

    /**
     * Writes the next digest of this replica's chain. The previous one's key and hash come from the ledger when
     * replicas share one (a digest a surviving replica wrote for this chain while this one was gone included), else
     * from the state file next to the trail.
     */
    /** The last digest this process wrote: up to which entry of the chain, and when (null before the first). */
    public record LastDigest(long lastSeq, java.time.Instant at) {}

    private volatile LastDigest lastDigest;

    public LastDigest lastDigest() {
        return lastDigest;
    }

    public synchronized Published publish() throws IOException {
        // a digest vouches only for entries already forced to disk (and, with a copy, in the ledger's copy)
        AuditTrail.ChainHead head = trail.headOnDisk();
        trail.copyPending();
        JsonNode state = Files.exists(stateFile) ? JSON.readTree(stateFile.toFile()) : null;
        ChainAnchors.Anchor previous = anchors == null ? null : anchors.last(nodeId);
        if (previous == null && state != null) {
            previous = new ChainAnchors.Anchor(state.path("key").asText(), state.path("sha256").asText());
        }
        Published published = write(nodeId, head.seq(), head.hash(), previous, null);
        ObjectNode written = JSON.createObjectNode().put("key", published.key()).put("sha256", published.sha256())
                .put("lastSeq", head.seq());
        Path temporary = stateFile.resolveSibling(STATE_FILE + ".tmp");
        Files.write(temporary, JSON.writeValueAsBytes(written));
        Files.move(temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lastDigest = new LastDigest(head.seq(), clock.instant());
        return published;
    }

    /**
     * Anchors the chains of replicas that went silent (killed, their volume perhaps gone) with entries in the ledger's
     * copy that no digest vouches for: for each, the next digest in that replica's own folder, chained to its last one
     * and naming this replica as the writer. None without a shared ledger.
     */
    public synchronized java.util.List<Published> anchorSilentChains() throws IOException {
        java.util.List<Published> published = new java.util.ArrayList<>();
        if (anchors == null) {
            return published;
        }
        for (ChainAnchors.SilentChain silent : anchors.claimSilentChains()) {
            published.add(write(silent.nodeId(), silent.lastSeq(), silent.lastHash(), silent.lastDigest(),
                    silent.nodeId()));
        }
        return published;
    }

    private Published write(String chainNode, long lastSeq, String lastHash, ChainAnchors.Anchor previous,
            String anchoredFor) throws IOException {
        Instant now = clock.instant();
        ObjectNode digest = JSON.createObjectNode();
        digest.put("digestVersion", 1);
        digest.put("nodeId", chainNode);
        if (anchoredFor != null) {
            digest.put("writtenBy", nodeId); // the replica that anchored a silent one's chain
        }
        digest.put("createdAt", now.toString());
        digest.put("lastSeq", lastSeq);
        digest.put("lastEntryHash", lastHash);
        digest.put("entryCount", lastSeq);
        digest.put("previousDigestKey", previous == null ? null : previous.key());
        digest.put("previousDigestSha256", previous == null ? null : previous.sha256());
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(digest);
        String key = digestsPrefix(prefix) + chainNode.replaceAll("[^A-Za-z0-9._-]", "_") + "/" + FOLDER.format(now)
                + "/" + STAMP.format(now) + "-" + lastSeq
                + (anchoredFor == null ? "" : "-by-" + nodeId.replaceAll("[^A-Za-z0-9._-]", "_")) + ".json";
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType("application/json").contentLength((long) body.length)
                .contentMD5(Digests.base64(Digests.md5(body)));
        if (objectLock.holds()) {
            objectLock.requireHolds();
            request.objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON);
        }
        s3.putObject(encryption.applyTo(request).build(), RequestBody.fromBytes(body));
        String sha256 = Digests.hex(Digests.sha256(body));
        if (anchors != null) {
            anchors.anchored(chainNode, lastSeq, new ChainAnchors.Anchor(key, sha256));
        }
        return new Published(key, sha256, lastSeq, anchoredFor);
    }

}
