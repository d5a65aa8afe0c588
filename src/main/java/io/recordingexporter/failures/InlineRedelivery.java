package io.recordingexporter.failures;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.genesys.RetryAfter;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.resilience.RetryPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Inline redelivery, before an item is deferred in the ledger: a short failure (a dropped connection, a 500, a 429)
 * is tried again on the same thread, a few times per lane, after a full-jitter pause (or the {@code Retry-After}
 * Genesys gave). Conflicts (a metadata lock lasts hours) and permanent failures go straight to the ledger.
 * Used by the export route's error policy: {@link #allow} as its {@code retryWhile}, and this processor as its
 * {@code onExceptionOccurred}, which sets the delay of the coming redelivery.
 */
public class InlineRedelivery implements Processor {

    private final Map<String, Integer> redeliveriesByLane;
    private final RetryPolicy pause;
    private final AuditTrail auditTrail;
    private final Clock clock;
    private final LongUnaryOperator random;
    private final Duration maxPause;
    private final java.util.function.Consumer<FailedAttempt> scheduled;

    /**
     * @param maxPause the longest a {@code Retry-After} may hold a lane's thread (GENESYS_MAX_PAUSE_SECONDS)
     */
    public InlineRedelivery(Map<String, Integer> redeliveriesByLane, RetryPolicy pause, Duration maxPause,
            AuditTrail auditTrail, Clock clock, LongUnaryOperator random) {
        this(redeliveriesByLane, pause, maxPause, auditTrail, clock, random, scheduled -> { });
    }

    /** @param scheduled told of each redelivery once it is audited (the retry metrics) */
    public InlineRedelivery(Map<String, Integer> redeliveriesByLane, RetryPolicy pause, Duration maxPause,
            AuditTrail auditTrail, Clock clock, LongUnaryOperator random,
            java.util.function.Consumer<FailedAttempt> scheduled) {
        this.scheduled = scheduled;
        this.maxPause = maxPause;
        this.redeliveriesByLane = Map.copyOf(redeliveriesByLane);
        this.pause = pause;
        this.auditTrail = auditTrail;
        this.clock = clock;
        this.random = random;
    }

    /** Whether the failed step is tried again now ({@code redeliveries} done so far). */
    public boolean allow(RecordingItem item, Throwable failure, int redeliveries) {
        FailureClass failureClass = FailureClassifier.classify(failure);
        // a lock lasts, a full disk does not empty itself in seconds, a restore takes hours: those wait in the ledger
        if (!failureClass.retryable() || failureClass == FailureClass.CONFLICT || failureClass == FailureClass.SPOOL_FULL
                || failureClass == FailureClass.ARCHIVED
                || failure instanceof CircuitBreaker.DependencyDownException
                || failure instanceof io.recordingexporter.ledger.LeaseLostException) {
            return false;
        }
        return redeliveries < redeliveriesByLane.getOrDefault(item == null ? "" : item.lane(), 0);
    }

    /** Sets the pause before the coming redelivery, and audits it as RETRY_SCHEDULED. */
    @Override
    public void process(Exchange exchange) throws IOException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RecordingItem item = exchange.getProperty("recordingItem", RecordingItem.class);
        int redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (item == null || !allow(item, failure, redeliveries)) {
            return;
        }
        long delay = delayMillis(failure, redeliveries + 1);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        FailedAttempt retry = new FailedAttempt(item, FailureDescription.of(failure),
                FailureClassifier.classify(failure).key(), clock.instant().plusMillis(delay));
        auditTrail.record("RETRY_SCHEDULED", retry);
        scheduled.accept(retry);
    }

    /**
     * Retry-After when Genesys sent one (never more than {@code maxPause}), else a draw from
     * [0, min(cap, base · 2^(attempt−1))].
     */
    long delayMillis(Throwable failure, int attempt) {
        Instant now = clock.instant();
        Optional<Instant> retryAfter = retryAfter(failure, now);
        if (retryAfter.isPresent()) {
            return Math.min(maxPause.toMillis(), Math.max(0, Duration.between(now, retryAfter.get()).toMillis()));
        }
        return random.applyAsLong(pause.ceilingMillis(attempt));
    }

    private static Optional<Instant> retryAfter(Throwable failure, Instant now) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ApiException api && api.getHeaders() != null) {
                for (Map.Entry<String, String> header : api.getHeaders().entrySet()) {
                    if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                        return RetryAfter.parse(header.getValue(), now);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
