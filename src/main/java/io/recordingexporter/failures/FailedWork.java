package io.recordingexporter.failures;

import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.Requeued;
import io.recordingexporter.genesys.ConversationExpander.Expansion;
import io.recordingexporter.genesys.MediaLinkFailedException;
import io.recordingexporter.genesys.MediaLinkRefusedException;
import io.recordingexporter.intake.WebhookRejectedException;
import io.recordingexporter.ledger.ClaimedConversation;
import io.recordingexporter.ledger.LeaseLostException;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.resilience.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to work whose attempt failed: the ledger records the error and either schedules the next attempt or
 * marks it FAILED. Called from the error policies of the routes.
 */
public class FailedWork {

    private static final Logger LOG = LoggerFactory.getLogger(FailedWork.class);

    private final Ledger ledger;
    private final Map<FailureClass, RetryPolicy> policies;
    private final Map<String, Duration> deadlineByLane;
    private final RetrySchedule expansionRetries;
    private final Duration relistRetry;
    private final Clock clock;
    private final LongUnaryOperator random;

    /**
     * @param relistRetry how long a conversation whose relisting failed waits before it is listed again
     * @param random draws a wait in {@code [0, bound]} for a bound in milliseconds (full jitter)
     */
    public FailedWork(Ledger ledger, Map<FailureClass, RetryPolicy> policies, Map<String, Duration> deadlineByLane,
            RetrySchedule expansionRetries, Duration relistRetry, Clock clock, LongUnaryOperator random) {
        this.ledger = ledger;
        this.relistRetry = relistRetry;
        this.policies = Map.copyOf(policies);
        this.deadlineByLane = Map.copyOf(deadlineByLane);
        this.expansionRetries = expansionRetries;
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
        String error = describe(cause);
        if (cause instanceof LeaseLostException || !ledger.leases().holdsClaim(item)) {
            return FailedAttempt.leaseLost(item, error);
        }
        FailureClass failureClass = FailureClassifier.classify(cause);
        Instant now = clock.instant();
        Instant next = null;
        if (failureClass.retryable()) {
            Instant firstFailed = ledger.recordings().firstFailedAt(item.recordingId());
            Duration deadline = deadlineByLane.getOrDefault(item.lane(), Duration.ofHours(72));
            next = policies.get(failureClass).nextAttempt(item.attempts(), now,
                    (firstFailed == null ? now : firstFailed).plus(deadline), random);
            if (next != null && cause instanceof CircuitBreaker.DependencyDownException down
                    && next.isBefore(down.until())) {
                next = down.until(); // nothing to gain before the dependency may be back
            }
        }
        if (cause instanceof MediaLinkRefusedException || cause instanceof MediaLinkFailedException) {
            ledger.recordings().forgetMediaLink(item);
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
        boolean held = ledger.recordings().recordFailedAttempt(item, attempt.error(), attempt.failureClass(), attempt.nextAttempt(),
                correlationId(item.lane(), FailureClass.ofKey(attempt.failureClass())));
        if (!held) {
            LOG.warn("Recording {}: the lease was lost after its {} was audited; the newer claim decides",
                    item.recordingId(), attempt.event());
        }
    }

    /** Re-queues a FAILED recording; 400 for an id that is not a UUID, 404 when no FAILED recording has it. */
    public Requeued requeue(String recordingId) {
        try {
            java.util.UUID.fromString(recordingId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WebhookRejectedException(400, "recordingId must be a UUID", "recordingId");
        }
        if (!ledger.recordings().requeueFailed(recordingId)) {
            throw new WebhookRejectedException(404, "no FAILED recording with this id", "recordingId");
        }
        return new Requeued(recordingId);
    }

    /** One ServiceNow incident per lane and failure class: {@code recording-exporter:{lane}:{failureClass}}. */
    public static String correlationId(String lane, FailureClass failureClass) {
        return "recording-exporter:" + lane + ":" + failureClass.key();
    }

    /** The whole batch failed (Genesys unreachable, an answer we could not read): every conversation waits. */
    public void expansionFailed(List<ClaimedConversation> conversations, Throwable cause) {
        String error = describe(cause);
        for (ClaimedConversation conversation : conversations) {
            reschedule(conversation, error);
        }
    }

    /** A backfill chunk failed: the backfill tries the same chunk again later, or is FAILED. */
    public void backfillFailed(io.recordingexporter.ledger.Backfills.BackfillClaim claim, Throwable cause) {
        Instant next = expansionRetries.nextAttemptAfter(claim.attempt(), clock.instant());
        ledger.backfills().rescheduleBackfill(claim, describe(cause), next);
    }

    /** Conversations of a batch that Genesys could not list yet wait for their next attempt. */
    public void expansionIncomplete(Expansion expansion) {
        expansion.notYet().forEach(this::reschedule);
    }

    private void reschedule(ClaimedConversation conversation, String error) {
        if (conversation.relisting()) {
            // listed before: its recordings so far are in the ledger; the next listing simply comes later
            ledger.conversations().rescheduleRelist(conversation, error, clock.instant().plus(relistRetry));
            return;
        }
        Instant next = expansionRetries.nextAttemptAfter(conversation.attempt(), clock.instant());
        ledger.conversations().rescheduleConversation(conversation, error, next);
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof com.mypurecloud.sdk.v2.ApiException api) {
            return "Genesys answered HTTP " + api.getStatusCode() + genesysMessage(api) + correlation(api);
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    /** The {@code message} of a Genesys error body, when there is one. */
    private static String genesysMessage(com.mypurecloud.sdk.v2.ApiException api) {
        if (!api.hasRawBody()) {
            return "";
        }
        try {
            String message = ERROR_JSON.readTree(api.getRawBody()).path("message").asText("");
            return message.isBlank() ? "" : ": " + message.strip();
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    private static String correlation(com.mypurecloud.sdk.v2.ApiException api) {
        String id = api.getCorrelationId();
        return id == null || id.isBlank() ? "" : " (inin-correlation-id " + id + ")";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ERROR_JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
