package io.recordingexporter.resilience;

/**
 * The state of a token bucket: permits refilled at a fixed rate up to a burst, and a pause nobody may call through.
 * In this process ({@link LocalPermitBucket}), or in a database that several processes share, so that all of them
 * spend from one budget and a pause one of them was told of holds for all.
 */
public interface PermitBucket {

    /**
     * Takes one permit when at least {@code needed} are there at {@code nowMillis} and the bucket is not paused;
     * returns 0 when taken, else how many milliseconds to wait before asking again.
     */
    long tryTake(double needed, long nowMillis);

    /** Nobody takes a permit before {@code untilMillis}, and the bucket is empty then. */
    void pauseUntil(long untilMillis);

    /** Permits that could be taken at {@code nowMillis} without waiting. */
    double available(long nowMillis);
}
