package io.recordingexporter.domain;

import java.time.Instant;

/**
 * A failed export attempt and what was decided: tried again at {@code nextAttempt}, given up when that is null, or,
 * when the worker's lease on the recording was lost meanwhile, nothing at all (another claim owns it now).
 * {@link #event()} names the audit event for it.
 */
public record FailedAttempt(RecordingItem item, String error, String failureClass, Instant nextAttempt,
        boolean leaseLost) {

    public FailedAttempt(RecordingItem item, String error, String failureClass, Instant nextAttempt) {
        this(item, error, failureClass, nextAttempt, false);
    }

    /** The attempt stopped because its claim is no longer its own: it decides and records nothing. */
    public static FailedAttempt leaseLost(RecordingItem item, String error) {
        return new FailedAttempt(item, error, null, null, true);
    }

    /**
     * DEFERRED: waiting durably in the ledger for its next attempt; FAILED: given up, an incident is raised;
     * LEASE_LOST: the attempt stopped without writing, its recording belongs to a newer claim.
     */
    public String event() {
        return leaseLost ? "LEASE_LOST" : nextAttempt == null ? "FAILED" : "DEFERRED";
    }
}
