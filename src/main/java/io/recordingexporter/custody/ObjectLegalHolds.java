package io.recordingexporter.custody;

import io.recordingexporter.ledger.CustodyRecords;
import io.recordingexporter.ledger.CustodyRecords.UnheldObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;

/**
 * Puts an Object Lock legal hold on objects already exported when their conversation comes under legal hold later
 * (or when an earlier attempt's object was adopted): the media version the ledger names and its sidecar. Driven by a
 * scheduled route from the ledger, so a hold that S3 could not take is taken on a later run; each hold is audited.
 */
public class ObjectLegalHolds {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectLegalHolds.class);
    private static final int PER_RUN = 200;

    /** The objects of one recording that now carry a legal hold. */
    public record Held(String recordingId, String conversationId, String lane, String s3Key, String s3VersionId,
            String sidecarKey) {}

    private final S3Client s3;
    private final String bucket;
    private final CustodyRecords ledger;
    private final ObjectLock objectLock;

    public ObjectLegalHolds(S3Client s3, String bucket, CustodyRecords ledger, ObjectLock objectLock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.ledger = ledger;
        this.objectLock = objectLock;
    }

    /**
     * Holds the objects of legal-hold recordings stored without a hold; returns those held, to be audited and then
     * marked in the ledger. Stops at the first failure (S3 down): the rest wait for the next run.
     */
    public List<Held> holdPending() {
        if (!objectLock.holds()) {
            return List.of();
        }
        List<UnheldObject> pending = ledger.storedAwaitingObjectHold(PER_RUN);
        if (pending.isEmpty()) {
            return List.of();
        }
        objectLock.requireHolds();
        List<Held> held = new ArrayList<>();
        for (UnheldObject object : pending) {
            String sidecarKey = S3KeyLayout.sidecarKeyBeside(object.s3Key(), object.recordingId());
            try {
                s3.putObjectLegalHold(request -> request.bucket(bucket).key(object.s3Key())
                        .versionId(object.versionId()).legalHold(hold -> hold.status(ObjectLockLegalHoldStatus.ON)));
                s3.putObjectLegalHold(request -> request.bucket(bucket).key(sidecarKey)
                        .legalHold(hold -> hold.status(ObjectLockLegalHoldStatus.ON)));
            } catch (RuntimeException e) {
                LOG.warn("Object Lock legal hold on {} not set yet, tried again on the next run: {}", object.s3Key(),
                        e.getMessage());
                break;
            }
            held.add(new Held(object.recordingId(), object.conversationId(), object.lane(), object.s3Key(),
                    object.versionId(), sidecarKey));
        }
        return held;
    }

    public void recorded(Held held) {
        ledger.markObjectHeld(held.recordingId());
    }
}
