package io.recordingexporter.lanes;

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
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long delayMillis = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << doublings));
        return now.plusMillis(delayMillis);
    }
}
