package io.recordingexporter.failures;

import io.recordingexporter.resilience.RetryPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * When to try again after a failed attempt: {@code min(maxDelay, baseDelay · 2^(attempt−1))} after now, and not at all
 * once {@code maxAttempts} have been made. Durable: the time is written to the ledger, so a waiting item holds no
 * thread and survives a restart.
 */
public record RetrySchedule(Duration baseDelay, Duration maxDelay, int maxAttempts) {

    /** The instant of the next attempt after attempt number {@code attempt} (1-based) failed, or null to give up. */
    public Instant nextAttemptAfter(int attempt, Instant now) {
        if (attempt >= maxAttempts) {
            return null;
        }
        return now.plusMillis(new RetryPolicy(baseDelay, maxDelay).ceilingMillis(attempt));
    }
}
