package io.recordingexporter.genesys;

import io.recordingexporter.resilience.LocalPermitBucket;
import io.recordingexporter.resilience.PermitBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one budget every Genesys API call of every lane and route spends from: a token bucket refilled at
 * {@code requestsPerMinute} (default 240, under Genesys's 300 per minute per token) holding at most {@code burst}
 * permits. A token bucket lets through at most {@code burst + rate·T} calls in any window T, so the burst must stay
 * small for every 60-second window to stay under Genesys's limit. A 429 (or a {@code Retry-After}) pauses the whole
 * budget, not just the caller, but never for longer than {@code maxPause}: a reply is outside input, and a
 * {@code Retry-After: 999999} must not stop every lane for eleven days. Media downloads from pre-signed links do not
 * spend from it. The bucket is this process's own, or one in the shared ledger that every replica spends from
 * ({@link PermitBucket}); the counts here are this process's.
 */
public class GenesysRateBudget {

    private static final double MILLIS_PER_MINUTE = 60_000.0;
    /** The cap on one pause when none is configured (GENESYS_MAX_PAUSE_SECONDS). */
    public static final Duration DEFAULT_MAX_PAUSE = Duration.ofSeconds(120);

    private final double burst;
    private final PermitBucket bucket;
    private final Clock clock;
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong capped = new AtomicLong();
    private final Duration maxPause;

    public GenesysRateBudget(int requestsPerMinute, int burst, Clock clock) {
        this(requestsPerMinute, burst, DEFAULT_MAX_PAUSE, clock);
    }

    /** A budget of this process alone, its bucket in memory. */
    public GenesysRateBudget(int requestsPerMinute, int burst, Duration maxPause, Clock clock) {
        this(requestsPerMinute, burst, maxPause, clock,
                new LocalPermitBucket(permitsPerMilli(requestsPerMinute), burst, clock.millis()));
    }

    /** A budget whose bucket is {@code bucket}: one that several replicas share, say. */
    public GenesysRateBudget(int requestsPerMinute, int burst, Duration maxPause, Clock clock, PermitBucket bucket) {
        if (requestsPerMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("the Genesys rate budget needs a positive rate and burst");
        }
        if (maxPause.isNegative() || maxPause.isZero()) {
            throw new IllegalArgumentException("GENESYS_MAX_PAUSE_SECONDS must be positive, not " + maxPause.toSeconds());
        }
        this.maxPause = maxPause;
        this.burst = burst;
        this.clock = clock;
        this.bucket = bucket;
    }

    /** The refill rate of {@code requestsPerMinute}, per millisecond, as a bucket takes it. */
    public static double permitsPerMilli(int requestsPerMinute) {
        return requestsPerMinute / MILLIS_PER_MINUTE;
    }

    /** Waits until the budget allows one more call (discovery and expansion: may use every permit). */
    public void acquire() throws InterruptedException {
        acquire(0);
    }

    /**
     * Waits until the budget allows one more call of a lane, leaving {@code reserved} permits for discovery and
     * expansion: a lane whose recordings keep failing cannot starve the work that feeds every other lane.
     */
    public void acquireForLane(int reserved) throws InterruptedException {
        acquire(reserved);
    }

    private void acquire(int reserved) throws InterruptedException {
        double needed = 1 + Math.min(reserved, Math.max(0, burst - 1));
        while (true) {
            long waitMillis = bucket.tryTake(needed, clock.millis());
            if (waitMillis == 0) {
                granted.incrementAndGet();
                return;
            }
            Thread.sleep(Math.max(1, waitMillis));
        }
    }

    /**
     * Genesys said slow down: nobody calls before {@code until} (at most {@code maxPause} from now), and the bucket is
     * empty then.
     */
    public void pauseUntil(Instant until) {
        throttled.incrementAndGet();
        bucket.pauseUntil(capped(until).toEpochMilli());
    }

    /** {@code until}, or {@code maxPause} from now when it lies further ahead (counted: a reply asked for more). */
    public Instant capped(Instant until) {
        Instant limit = clock.instant().plus(maxPause);
        if (until.isAfter(limit)) {
            capped.incrementAndGet();
            return limit;
        }
        return until;
    }

    /** The longest pause a reply can impose. */
    public Duration maxPause() {
        return maxPause;
    }

    /** Times a Retry-After or rate-limit reset asked for a longer pause than {@code maxPause}, and got the cap. */
    public long pausesCapped() {
        return capped.get();
    }

    /** Calls granted since start. */
    public long granted() {
        return granted.get();
    }

    /** Times Genesys made the budget pause. */
    public long throttled() {
        return throttled.get();
    }

    /** Calls the budget could grant now without waiting. */
    public double available() {
        return bucket.available(clock.millis());
    }
}
