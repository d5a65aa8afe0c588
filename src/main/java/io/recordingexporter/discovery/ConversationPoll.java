package io.recordingexporter.discovery;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import io.recordingexporter.ledger.Watermarks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile poll: finds what webhooks missed. Each run covers {@code [watermark - overlap, end)} with
 * {@code end = min(now - settle delay, analytics data availability)}, in windows of at most {@code maxWindow}; each
 * window's conversations go to the ledger as intake (same idempotency as webhooks) and only then does the persisted
 * watermark move to the window's end. A failed window leaves the watermark where it was, so the next run repeats it.
 */
public class ConversationPoll {

    public static final String WATERMARK = "reconcile-poll";
    public static final String INTAKE_SOURCE = "poll";
    private static final Logger LOG = LoggerFactory.getLogger(ConversationPoll.class);

    private final ConversationDiscovery discovery;
    private final Watermarks ledger;
    private final Duration overlap;
    private final Duration settleDelay;
    private final Duration initialLookback;
    private final Duration maxWindow;
    private final Clock clock;

    public ConversationPoll(ConversationDiscovery discovery, Watermarks ledger, Duration overlap, Duration settleDelay,
            Duration initialLookback, Duration maxWindow, Clock clock) {
        this.discovery = discovery;
        this.ledger = ledger;
        this.overlap = overlap;
        this.settleDelay = settleDelay;
        this.initialLookback = initialLookback;
        this.maxWindow = maxWindow;
        this.clock = clock;
    }

    /** One run: what it found (new to the ledger, or already known), as one intake receipt for the audit trail. */
    public synchronized IntakeReceipt pollOnce() throws IOException, ApiException {
        Instant now = clock.instant();
        Instant available = discovery.dataAvailableUntil();
        Instant end = min(now.minus(settleDelay), available);
        Instant watermark = ledger.watermark(WATERMARK);
        Instant start = watermark == null ? now.minus(initialLookback) : watermark.minus(overlap);
        IntakeReceipt run = IntakeReceipt.empty(INTAKE_SOURCE);
        while (start.isBefore(end)) {
            Instant windowEnd = min(start.plus(maxWindow), end);
            List<ConversationWork> found = discovery.discover(start, windowEnd, INTAKE_SOURCE);
            run = run.plus(ledger.recordDiscoveredWindow(WATERMARK, found, windowEnd));
            start = windowEnd;
        }
        if (run.accepted() > 0) {
            LOG.info("Reconcile poll found {} new recorded conversations ({} already known); covered until {}",
                    run.accepted(), run.duplicates(), ledger.watermark(WATERMARK));
        }
        return run;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
