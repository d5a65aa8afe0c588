package io.recordingexporter.failures;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.RecordingStillLockedException;
import io.recordingexporter.ledger.RecordingQueue;
import io.recordingexporter.resilience.RetryPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lock-aware retry: a recording whose last attempt answered 409 (Genesys holds a metadata lock, for hours after a
 * legal-hold change) is not sent to the media call again blindly. Its metadata is read first (one call, inside the
 * rate budget): still 409, or the same metadata as at the last re-read, and it goes back to wait its growing backoff
 * in the ledger without a media call; changed metadata, or a backoff already at its ceiling, and it is tried.
 */
public class ConflictProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ConflictProbe.class);

    private final GenesysRecordings genesys;
    private final RecordingQueue ledger;
    private final FailedWork failedWork;
    private final AuditTrail auditTrail;
    private final RetryPolicy conflictBackoff;

    public ConflictProbe(GenesysRecordings genesys, RecordingQueue ledger, FailedWork failedWork, AuditTrail auditTrail,
            RetryPolicy conflictBackoff) {
        this.genesys = genesys;
        this.ledger = ledger;
        this.failedWork = failedWork;
        this.auditTrail = auditTrail;
        this.conflictBackoff = conflictBackoff;
    }

    /** The claimed recordings worth an export attempt now; the others are deferred (or FAILED at their deadline). */
    public List<RecordingItem> worthTrying(List<RecordingItem> claimed) throws IOException {
        Map<String, String> lastSeen = ledger.lockStatesOfConflicts(claimed.stream().map(RecordingItem::recordingId).toList());
        List<RecordingItem> worth = new ArrayList<>();
        for (RecordingItem item : claimed) {
            String seen = lastSeen.get(item.recordingId());
            if (seen == null || backoffAtCeiling(item)) {
                worth.add(item);
                continue;
            }
            Exception stillLocked;
            try {
                String now = genesys.metadataFingerprint(item.conversationId(), item.recordingId());
                if (!now.equals(seen)) {
                    ledger.recordLockState(item, now);
                    worth.add(item);
                    continue;
                }
                stillLocked = new RecordingStillLockedException(item.recordingId());
            } catch (ApiException e) {
                if (e.getStatusCode() != 409) {
                    worth.add(item); // not a lock: the export attempt meets the failure and classifies it
                    continue;
                }
                stillLocked = e;
            } catch (IOException | RuntimeException e) {
                LOG.debug("Re-reading recording {} failed, trying its export: {}", item.recordingId(), e.getMessage());
                worth.add(item);
                continue;
            }
            FailedAttempt deferred = failedWork.recordingFailed(item, stillLocked);
            auditTrail.record(deferred.event(), deferred);
            failedWork.commit(deferred);
        }
        return worth;
    }

    /** After this many tries the pause no longer grows: try the media call anyway, once per ceiling-long pause. */
    private boolean backoffAtCeiling(RecordingItem item) {
        return conflictBackoff.ceilingMillis(item.attempts() - 1) >= conflictBackoff.maxDelay().toMillis();
    }
}
