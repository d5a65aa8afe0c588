package io.recordingexporter.failures;

import io.recordingexporter.resilience.RetryPolicy;
import java.time.Duration;
import java.util.Locale;

/** What kind of failure an attempt met; each class has its own retry policy, and only PERMANENT is never retried. */
public enum FailureClass {
    /** 409: Genesys holds a metadata lock (legal-hold recordings modified in the last day). */
    CONFLICT,
    /** 429: the rate limit. */
    RATE_LIMITED,
    /** transcoding, uploading, restoring, a batch still running, a media link to ask for again. */
    NOT_READY,
    /** 5xx, connect and read timeouts, dropped connections, truncated downloads. */
    SERVER,
    /** 400, 403, 404 (recording deleted), 410, different bytes already at the key: a person must look. */
    PERMANENT,
    /** the S3 service failed or could not be reached. */
    S3,
    /** S3 refused the bytes: their checksum did not match. */
    CHECKSUM,
    /** a media link to a host or address not allowed (or a redirect to one): refused, never fetched. */
    MEDIA_REFUSED,
    /** media over the lane's byte cap. */
    MEDIA_TOO_LARGE,
    /** media that stalled past the lane's idle timeout or outlasted its deadline. */
    MEDIA_STALLED,
    /** too little free space on the spool's disk: the download waits. */
    SPOOL_FULL,
    /**
     * an archived recording: RESTORING after its restore was asked for, or waiting for the org's restoration allowance.
     * It waits with no deadline: a restore takes hours, and an allowance used up is for people to lift.
     */
    ARCHIVED;

    /** Whether waiting is bounded by the lane's deadline (every retryable class but {@link #ARCHIVED}). */
    public boolean hasDeadline() {
        return this != ARCHIVED;
    }

    /** Whether the item is tried again later; the others are FAILED at once, with an incident. */
    public boolean retryable() {
        return this != PERMANENT && this != MEDIA_REFUSED && this != MEDIA_TOO_LARGE && this != MEDIA_STALLED;
    }

    /** The name in configuration keys and correlation ids: {@code rate-limited}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * How this class is retried, from its backoff: a metadata lock lasts, so a conflict waits with equal jitter
     * (random(c/2, c)), with none of full jitter's lucky short draws that spend calls on a recording still locked.
     */
    public RetryPolicy retryPolicy(Duration baseDelay, Duration maxDelay) {
        RetryPolicy policy = new RetryPolicy(baseDelay, maxDelay);
        return this == CONFLICT ? policy.withEqualJitter() : policy;
    }

    /** One ServiceNow incident per lane and failure class: {@code recording-exporter:{lane}:{failureClass}}. */
    public String incidentCorrelationId(String lane) {
        return "recording-exporter:" + lane + ":" + key();
    }

    /** The class a {@link #key()} names. */
    public static FailureClass ofKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
