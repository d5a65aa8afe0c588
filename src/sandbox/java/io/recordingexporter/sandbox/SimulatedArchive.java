package io.recordingexporter.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An org's archive policy as Genesys applies it: recordings of conversations that started before {@code archivedBefore}
 * are ARCHIVED, and their media cannot be had until they are restored. A restore (the recording updated with a
 * {@code restoreExpirationTime}) spends one of the org's {@code maxRestorations}; the recording is RESTORING for
 * {@code restoreTakes}, then RESTORED. With none left, Genesys refuses the restore.
 */
final class SimulatedArchive {

    /** What a restore request did. */
    enum Restore { STARTED, NOT_ARCHIVED, LIMIT_REACHED }

    /** No archive policy: every recording AVAILABLE. */
    static final SimulatedArchive NONE = new SimulatedArchive(Instant.MIN, Duration.ZERO, 0);

    private final Instant archivedBefore;
    private final Duration restoreTakes;
    private int maxRestorations;
    private int remaining;
    private final Map<String, Instant> restoringSince = new ConcurrentHashMap<>();

    SimulatedArchive(Instant archivedBefore, Duration restoreTakes, int maxRestorations) {
        this.archivedBefore = archivedBefore;
        this.restoreTakes = restoreTakes;
        this.maxRestorations = maxRestorations;
        this.remaining = maxRestorations;
    }

    boolean enabled() {
        return this != NONE;
    }

    /** AVAILABLE, ARCHIVED, RESTORING or RESTORED. */
    String fileState(SimulatedOrg.Conversation conversation, String recordingId) {
        if (!conversation.start().isBefore(archivedBefore)) {
            return "AVAILABLE";
        }
        Instant since = restoringSince.get(recordingId);
        if (since == null) {
            return "ARCHIVED";
        }
        return Instant.now().isBefore(since.plus(restoreTakes)) ? "RESTORING" : "RESTORED";
    }

    /** Whether the media can be had now. */
    boolean servesMedia(SimulatedOrg.Conversation conversation, String recordingId) {
        String state = fileState(conversation, recordingId);
        return state.equals("AVAILABLE") || state.equals("RESTORED");
    }

    synchronized Restore restore(SimulatedOrg.Conversation conversation, String recordingId) {
        if (!fileState(conversation, recordingId).equals("ARCHIVED")) {
            return Restore.NOT_ARCHIVED;
        }
        if (remaining <= 0) {
            return Restore.LIMIT_REACHED;
        }
        remaining--;
        restoringSince.put(recordingId, Instant.now());
        return Restore.STARTED;
    }

    synchronized int remaining() {
        return remaining;
    }

    synchronized int maxRestorations() {
        return maxRestorations;
    }

    /** A new allowance period: {@code max} restorations, none spent. */
    synchronized void renew(int max) {
        maxRestorations = max;
        remaining = max;
    }

    /** Restores asked for and granted so far. */
    int restoresStarted() {
        return restoringSince.size();
    }
}
