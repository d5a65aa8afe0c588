package io.recordingexporter.resilience;

/** A token bucket in this process's memory: for a service that is the only one spending from its budget. */
public final class LocalPermitBucket implements PermitBucket {

    private final double permitsPerMilli;
    private final double burst;
    private double permits;
    private long refilledAtMillis;
    private long pausedUntilMillis;

    public LocalPermitBucket(double permitsPerMilli, double burst, long nowMillis) {
        this.permitsPerMilli = permitsPerMilli;
        this.burst = burst;
        this.permits = burst;
        this.refilledAtMillis = nowMillis;
    }

    @Override
    public synchronized long tryTake(double needed, long nowMillis) {
        if (nowMillis < pausedUntilMillis) {
            return pausedUntilMillis - nowMillis;
        }
        if (nowMillis > refilledAtMillis) {
            permits = Math.min(burst, permits + (nowMillis - refilledAtMillis) * permitsPerMilli);
            refilledAtMillis = nowMillis;
        }
        if (permits >= needed) {
            permits -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((needed - permits) / permitsPerMilli));
    }

    @Override
    public synchronized void pauseUntil(long untilMillis) {
        pausedUntilMillis = Math.max(pausedUntilMillis, untilMillis);
        permits = 0;
        refilledAtMillis = Math.max(refilledAtMillis, pausedUntilMillis);
    }

    @Override
    public synchronized double available(long nowMillis) {
        if (nowMillis < pausedUntilMillis) {
            return 0;
        }
        return Math.min(burst, permits + Math.max(0, nowMillis - refilledAtMillis) * permitsPerMilli);
    }
}
