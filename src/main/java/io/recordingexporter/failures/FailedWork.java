package io.recordingexporter.failures;

import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.genesys.MediaLinkFailedException;
import io.recordingexporter.genesys.MediaLinkRefusedException;
import io.recordingexporter.ledger.LeaseLostException;
import io.recordingexporter.ledger.NodeLeases;
import io.recordingexporter.ledger.RecordingQueue;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.resilience.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a recording whose export attempt failed: the failure is classified and decided (deferred until a
 * later attempt, or FAILED with an incident), audited, then recorded in the ledger. Called from the export's error
 * policy. Conversations and backfills that failed are {@link ConversationFailures}'.
 */
public class FailedWork {

    private static final Logger LOG = LoggerFactory.getLogger(FailedWork.class);

    /** How far off "never" is for a class without a deadline: beyond any backoff. */
    private static final Duration NO_DEADLINE = Duration.ofDays(3650);

    private final RecordingQueue recordings;
    private final NodeLeases leases;
    private final Map<FailureClass, RetryPolicy> policies;
    private final Map<String, Duration> deadlineByLane;
    private final Clock clock;
    private final LongUnaryOperator random;

    /** @param random draws a wait in {@code [0, bound]} for a bound in milliseconds (full jitter) */
    public FailedWork(RecordingQueue recordings, NodeLeases leases, Map<FailureClass, RetryPolicy> policies,
            Map<String, Duration> deadlineByLane, Clock clock, LongUnaryOperator random) {
        this.recordings = recordings;
        this.leases = leases;
        this.policies = Map.copyOf(policies);
        this.deadlineByLane = Map.copyOf(deadlineByLane);
        this.clock = clock;
        this.random = random;
    }

    /**
     * A failed export attempt, decided: classified, then to be DEFERRED until a jittered, growing delay has passed, or
     * FAILED (with an incident) when the class is permanent or the next attempt would fall after the lane's deadline,
     * counted from the first failure. Nothing is recorded yet: the decision goes to the audit trail first, then to the
     * ledger ({@link #commit}). A worker whose claim on the recording is no longer its own decides nothing.
     */
    public FailedAttempt recordingFailed(RecordingItem item, Throwable cause) {
        String error = FailureDescription.of(cause);
        if (cause instanceof LeaseLostException || !leases.holdsClaim(item)) {
            return FailedAttempt.leaseLost(item, error);
        }
        FailureClass failureClass = FailureClassifier.classify(cause);
        Instant now = clock.instant();
        Instant next = null;
        if (failureClass.retryable()) {
            Instant firstFailed = recordings.firstFailedAt(item.recordingId());
            Duration deadline = deadlineByLane.getOrDefault(item.lane(), Duration.ofHours(72));
            Instant giveUpAt = failureClass.hasDeadline() ? (firstFailed == null ? now : firstFailed).plus(deadline)
                    : now.plus(NO_DEADLINE);
            next = policies.get(failureClass).nextAttempt(item.attempts(), now, giveUpAt, random);
            if (next != null && cause instanceof CircuitBreaker.DependencyDownException down
                    && next.isBefore(down.until())) {
                next = down.until(); // nothing to gain before the dependency may be back
            }
        }
        if (cause instanceof MediaLinkRefusedException || cause instanceof MediaLinkFailedException) {
            recordings.forgetMediaLink(item);
        }
        return new FailedAttempt(item, error, failureClass.key(), next);
    }

    /**
     * The ledger records a decided failure, once its audit entry is on disk (FAILED is on the trail before the ledger
     * says FAILED). Fenced by the claim: a lease lost in between changes nothing.
     */
    public void commit(FailedAttempt attempt) {
        if (attempt.leaseLost()) {
            return;
        }
        RecordingItem item = attempt.item();
        boolean held = recordings.recordFailedAttempt(item, attempt.error(), attempt.failureClass(),
                attempt.nextAttempt(), FailureClass.ofKey(attempt.failureClass()).incidentCorrelationId(item.lane()));
        if (!held) {
            LOG.warn("Recording {}: the lease was lost after its {} was audited; the newer claim decides",
                    item.recordingId(), attempt.event());
        }
    }
}
