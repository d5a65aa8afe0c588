package io.recordingexporter.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for one dependency (S3, the Genesys API): after {@code threshold} failures in a row it opens for
 * {@code openFor}; while open, callers fail at once ({@link DependencyDownException}) and, for S3, lanes claim no
 * work, so an outage costs neither threads nor a storm of attempts. After {@code openFor} one call is let through (half open): a
 * success closes it, a failure opens it again.
 */
public class CircuitBreaker {

    private final String dependency;
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int failuresInARow;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;
    private long opened;

    public CircuitBreaker(String dependency, int threshold, Duration openFor, Clock clock) {
        this.dependency = dependency;
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Throws when the breaker is open, or half open with its one trial call already under way. */
    public synchronized void check() {
        Instant now = clock.instant();
        if (now.isBefore(openUntil)) {
            throw new DependencyDownException(dependency, openUntil);
        }
        if (failuresInARow >= threshold) {
            if (trialInFlight) {
                throw new DependencyDownException(dependency, now.plus(openFor.dividedBy(10)));
            }
            trialInFlight = true;
        }
    }

    /** Whether work needing the dependency should be taken now (the lanes ask before claiming). */
    public synchronized boolean allowsWork() {
        return !clock.instant().isBefore(openUntil) && !trialInFlight;
    }

    public synchronized void succeeded() {
        failuresInARow = 0;
        trialInFlight = false;
        openUntil = Instant.MIN;
    }

    public synchronized void failed() {
        failuresInARow++;
        if (failuresInARow >= threshold) {
            openUntil = clock.instant().plus(openFor);
            trialInFlight = false;
            opened++;
        }
    }

    /** closed, open (calls fail at once) or half_open (failures enough to open, and its wait over: one trial call). */
    public synchronized String state() {
        if (clock.instant().isBefore(openUntil)) {
            return "open";
        }
        return failuresInARow >= threshold ? "half_open" : "closed";
    }

    /** Times the breaker opened, for metrics. */
    public synchronized long timesOpened() {
        return opened;
    }

    public String dependency() {
        return dependency;
    }

    /** The dependency is known to be down: the call was not even tried. */
    public static class DependencyDownException extends RuntimeException {

        private final String dependency;
        private final Instant until;

        public DependencyDownException(String dependency, Instant until) {
            super(dependency + " is down (circuit open until " + until + ")");
            this.dependency = dependency;
            this.until = until;
        }

        public String dependency() {
            return dependency;
        }

        public Instant until() {
            return until;
        }
    }
}
