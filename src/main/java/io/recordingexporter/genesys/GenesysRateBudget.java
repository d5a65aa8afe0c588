package io.recordingexporter.genesys;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one budget every Genesys API call of every lane and route spends from: a token bucket refilled at
 * {@code requestsPerMinute} (default 240, under Genesys's 300 per minute per token) holding at most {@code burst}
 * permits. A token bucket lets through at most {@code burst + rate·T} calls in any window T, so the burst must stay
 * small for every 60-second window to stay under Genesys's limit. A 429 (or a {@code Retry-After}) pauses the whole
 * budget, not just the caller. Media downloads from pre-signed links do not spend from it.
 */
public class GenesysRateBudget {

    private static final double MILLIS_PER_MINUTE = 60_000.0;

    private final double permitsPerMilli;
    private final double burst;
    private final Clock clock;
    private final AtomicLong granted = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    private double permits;
    private long refilledAtMillis;
    private long pausedUntilMillis;

    public GenesysRateBudget(int requestsPerMinute, int burst, Clock clock) {
        if (requestsPerMinute <= 0 || burst <= 0) {
            throw new IllegalArgumentException("the Genesys rate budget needs a positive rate and burst");
        }
        this.permitsPerMilli = requestsPerMinute / MILLIS_PER_MINUTE;
        this.burst = burst;
        this.clock = clock;
        this.permits = burst;
        this.refilledAtMillis = clock.millis();
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
            long waitMillis;
            synchronized (this) {
                long now = clock.millis();
                if (now < pausedUntilMillis) {
                    waitMillis = pausedUntilMillis - now;
                } else {
                    if (now > refilledAtMillis) {
                        permits = Math.min(burst, permits + (now - refilledAtMillis) * permitsPerMilli);
                        refilledAtMillis = now;
                    }
                    if (permits >= needed) {
                        permits -= 1;
                        granted.incrementAndGet();
                        return;
                    }
                    waitMillis = (long) Math.ceil((needed - permits) / permitsPerMilli);
                }
            }
            Thread.sleep(Math.max(1, waitMillis));
        }
    }

    /** Genesys said slow down: nobody calls before {@code until}, and the bucket is empty then. */
    public synchronized void pauseUntil(Instant until) {
        throttled.incrementAndGet();
        pausedUntilMillis = Math.max(pausedUntilMillis, until.toEpochMilli());
        permits = 0;
        refilledAtMillis = Math.max(refilledAtMillis, pausedUntilMillis);
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
    public synchronized double available() {
        long now = clock.millis();
        if (now < pausedUntilMillis) {
            return 0;
        }
        return Math.min(burst, permits + Math.max(0, now - refilledAtMillis) * permitsPerMilli);
    }
}
