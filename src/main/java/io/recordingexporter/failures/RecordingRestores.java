package io.recordingexporter.failures;

import com.mypurecloud.sdk.v2.ApiException;
import com.mypurecloud.sdk.v2.model.Recording;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.RestoreAllowance;
import io.recordingexporter.domain.RestoreAllowanceExhausted;
import io.recordingexporter.domain.RestoreRequested;
import io.recordingexporter.genesys.ArchivedRecordings;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.RecordingArchivedException;
import io.recordingexporter.genesys.RecordingAwaitsRestoreException;
import io.recordingexporter.ledger.RestoreAllowanceRecord;
import io.recordingexporter.metrics.ExportMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archived recordings met by a lane. While the org's restoration allowance permits ({@link RestoreAllowance}), Genesys
 * is asked to restore the recording until {@code keepRestored} from now, audited as RESTORE_REQUESTED; the recording
 * then waits, DEFERRED with no deadline, until Genesys reports it RESTORED and a later attempt exports it as usual.
 * When the share left to the exporter is used up (or Genesys refuses the restore), the recording waits too, and the
 * exhaustion is told once across replicas: a warning, RESTORE_ALLOWANCE_EXHAUSTED on the trail and one incident
 * (the ledger's mark also shows as {@code exporter_restore_allowance_exhausted}); it is told again only after a
 * restore has been permitted since.
 */
public class RecordingRestores implements ArchivedRecordings {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingRestores.class);
    private static final int OWN_RESTORES_KEPT = 1000;

    private final GenesysRecordings genesys;
    private final RestoreAllowance allowance;
    private final Duration keepRestored;
    private final RestoreAllowanceRecord record;
    private final AuditTrail trail;
    private final ExportMetrics metrics;
    private final Clock clock;

    public RecordingRestores(GenesysRecordings genesys, RestoreAllowance allowance, Duration keepRestored,
            RestoreAllowanceRecord record, AuditTrail trail, ExportMetrics metrics, Clock clock) {
        this.genesys = genesys;
        this.allowance = allowance;
        this.keepRestored = keepRestored;
        this.record = record;
        this.trail = trail;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * When this process asked for its recent restores: a count Genesys reported before one of them does not include
     * it. (Lanes decide one at a time, so a process never overshoots its share; replicas may, by one each at most.)
     */
    private final Deque<Instant> ownRestores = new ArrayDeque<>();

    @Override
    public synchronized RuntimeException restoreOrWait(RecordingItem item, RecordingArchivedException archived)
            throws Exception {
        Integer max = archived.maxRestorations();
        Integer remaining = archived.remainingRestorations() == null ? null
                : archived.remainingRestorations() - restoresSince(archived.reportedAt());
        if (!allowance.permits(remaining, max)) {
            return exhausted(item, remaining, max, "the org has " + remaining + " of " + max
                    + " restorations left and the exporter may spend " + allowance.maxShare() + " of them");
        }
        Instant until = clock.instant().plus(keepRestored);
        Recording.FileStateEnum state;
        try {
            state = genesys.requestRestore(item.conversationId(), item.recordingId(), until);
        } catch (ApiException e) {
            if (e.getStatusCode() == 400 || e.getStatusCode() == 403) {
                // Genesys refuses a restore over the org's limit (people may have spent it meanwhile)
                return exhausted(item, remaining, max, "Genesys refused the restore (HTTP " + e.getStatusCode() + ")");
            }
            throw e;
        }
        ownRestores.addLast(clock.instant());
        if (ownRestores.size() > OWN_RESTORES_KEPT) {
            ownRestores.removeFirst();
        }
        record.markAvailable();
        metrics.restoreRequested(item.lane());
        trail.record("RESTORE_REQUESTED", new RestoreRequested(item, until, remaining, max,
                state == null ? null : state.toString()));
        LOG.info("Recording {} is archived: its restore until {} was asked for ({} of {} restorations were left)",
                item.recordingId(), until, remaining, max);
        return new RecordingAwaitsRestoreException("recording " + item.recordingId()
                + " is ARCHIVED; its restore was asked for (" + state + "), it waits until Genesys has RESTORED it");
    }

    private int restoresSince(Instant reportedAt) {
        int since = 0;
        for (Iterator<Instant> newestFirst = ownRestores.descendingIterator(); newestFirst.hasNext(); ) {
            if (!newestFirst.next().isAfter(reportedAt)) {
                break;
            }
            since++;
        }
        return since;
    }

    private RuntimeException exhausted(RecordingItem item, Integer remaining, Integer max, String why)
            throws Exception {
        String message = "recording " + item.recordingId() + " is ARCHIVED and waits: the restoration allowance left"
                + " to the exporter is used up (" + why + ")";
        if (record.markExhausted(item, FailureClass.ARCHIVED.incidentCorrelationId(item.lane()),
                FailureClass.ARCHIVED.key(), message)) {
            LOG.warn("The restoration allowance left to the exporter is used up ({}): archived recordings wait, not"
                    + " failed, until restorations are available again (GENESYS_RESTORE_MAX_SHARE)", why);
            trail.record("RESTORE_ALLOWANCE_EXHAUSTED", new RestoreAllowanceExhausted(item, remaining, max,
                    allowance.maxShare()));
        }
        return new RecordingAwaitsRestoreException(message);
    }
}
