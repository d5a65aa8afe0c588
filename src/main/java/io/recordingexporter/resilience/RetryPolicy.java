package io.recordingexporter.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with jitter: the wait after failed attempt n is a uniform draw from
 * {@code [floor · c, c]} with {@code c = min(cap, base · 2^(n−1))}, so items that failed together do not come back
 * together (Camel's collision avoidance only spreads by ±15 %). Full jitter ({@code floor} 0) by default; a conflict
 * (a metadata lock that lasts) waits at least half the ceiling ("equal jitter"), so the tries spent on a lock of length
 * W stay near log2(W / base) instead of depending on lucky short draws. An item is given up once its next attempt
 * would fall after its deadline.
 */
public record RetryPolicy(Duration baseDelay, Duration maxDelay, double floor) {

    /** Full jitter. */
    public RetryPolicy(Duration baseDelay, Duration maxDelay) {
        this(baseDelay, maxDelay, 0);
    }

    /** Waits at least half the ceiling (equal jitter). */
    public RetryPolicy withEqualJitter() {
        return new RetryPolicy(baseDelay, maxDelay, 0.5);
    }

    /**
     * When to try again after attempt {@code attempt} (1-based) failed, or null when that would be after
     * {@code deadline}. {@code random} draws a number in {@code [0, bound]} for a bound.
     */
    public Instant nextAttempt(int attempt, Instant now, Instant deadline, LongUnaryOperator random) {
        long ceiling = ceilingMillis(attempt);
        long least = (long) (ceiling * floor);
        Instant next = now.plusMillis(least + random.applyAsLong(ceiling - least));
        return next.isAfter(deadline) ? null : next;
    }

    /** The upper bound of the wait after failed attempt {@code attempt}. */
    public long ceilingMillis(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long exponential = baseDelay.toMillis() > Long.MAX_VALUE >> doublings ? Long.MAX_VALUE
                : baseDelay.toMillis() << doublings;
        return Math.min(maxDelay.toMillis(), exponential);
    }
}
