package io.recordingexporter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recordingexporter.domain.FailedAttempt;
import io.recordingexporter.domain.RecordingItem;
import io.recordingexporter.domain.StoredRecording;
import io.recordingexporter.genesys.GenesysCallOutcomes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What this process did, counted as it happens: recordings stored or failed by lane, bytes stored, the time from a
 * conversation's end to its recording being STORED, retries by lane and failure class, and Genesys API calls by
 * endpoint and status. Counters are per process (sum them across replicas). Prometheus names: {@link #RECORDINGS} →
 * {@code exporter_recordings_total}, and so on.
 */
public final class ExportMetrics implements GenesysCallOutcomes {

    public static final String RECORDINGS = "exporter.recordings";
    public static final String STORED_BYTES = "exporter.stored.bytes";
    public static final String END_TO_STORED = "exporter.conversation.end.to.stored";
    public static final String RETRIES = "exporter.retries";
    public static final String GENESYS_REQUESTS = "genesys.api.requests";
    public static final String RESTORES_REQUESTED = "exporter.restores.requested";

    /** Histogram bounds of the end-to-stored latency: from a minute to the default 72 h deadline. */
    private static final Duration[] END_TO_STORED_BUCKETS = {Duration.ofMinutes(1), Duration.ofMinutes(5),
        Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
        Duration.ofHours(12), Duration.ofHours(24), Duration.ofHours(48), Duration.ofHours(72)};

    private final MeterRegistry meters;
    private final Clock clock;

    public ExportMetrics(MeterRegistry meters, Clock clock, List<String> lanes) {
        this.meters = meters;
        this.clock = clock;
        // every lane's series exist from the start at 0, so an alert on their increase sees the first one
        for (String lane : lanes) {
            recordings(lane, "stored");
            recordings(lane, "failed");
            storedBytes(lane);
            endToStored(lane);
            restoresRequested(lane);
        }
    }

    /** Genesys was asked to restore an archived recording of the lane. */
    public void restoreRequested(String lane) {
        restoresRequested(lane).increment();
    }

    /**
     * A recording is STORED: counted with its bytes, and its latency from the conversation's end (or its start when
     * the listing did not say when it ended).
     */
    public void stored(RecordingItem item, StoredRecording stored, Instant conversationEnd) {
        recordings(item.lane(), "stored").increment();
        storedBytes(item.lane()).increment(stored.sizeBytes());
        Instant from = conversationEnd != null ? conversationEnd : item.conversationStart();
        if (from != null) {
            Duration latency = Duration.between(from, clock.instant());
            endToStored(item.lane()).record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** A failed attempt as the ledger recorded it: DEFERRED is a retry, FAILED a recording given up. */
    public void attemptDecided(FailedAttempt attempt) {
        switch (attempt.event()) {
            case "DEFERRED" -> retries(attempt, "deferred").increment();
            case "FAILED" -> recordings(attempt.item().lane(), "failed").increment();
            default -> { } // the lease was lost: another claim decides
        }
    }

    /** An attempt tried again at once, on the same thread. */
    public void redelivered(FailedAttempt attempt) {
        retries(attempt, "inline").increment();
    }

    @Override
    public void answered(String endpoint, String status) {
        Counter.builder(GENESYS_REQUESTS).description("Genesys API calls by endpoint and HTTP status (no_reply: none)")
                .tag("endpoint", endpoint).tag("status", status).register(meters).increment();
    }

    private Counter recordings(String lane, String outcome) {
        return Counter.builder(RECORDINGS).description("recordings that reached an end state, by lane and outcome")
                .tag("lane", lane).tag("outcome", outcome).register(meters);
    }

    private Counter restoresRequested(String lane) {
        return Counter.builder(RESTORES_REQUESTED).description("restores of archived recordings asked of Genesys")
                .tag("lane", lane).register(meters);
    }

    private Counter storedBytes(String lane) {
        return Counter.builder(STORED_BYTES).baseUnit("bytes").description("media bytes written to S3 and verified")
                .tag("lane", lane).register(meters);
    }

    private Timer endToStored(String lane) {
        return Timer.builder(END_TO_STORED).description("from the conversation's end to its recording STORED")
                .serviceLevelObjectives(END_TO_STORED_BUCKETS).tag("lane", lane).register(meters);
    }

    private Counter retries(FailedAttempt attempt, String kind) {
        return Counter.builder(RETRIES).description("failed attempts tried again: inline at once, or deferred")
                .tag("lane", attempt.item().lane())
                .tag("failure_class", attempt.failureClass() == null ? "unknown" : attempt.failureClass())
                .tag("kind", kind).register(meters);
    }
}
