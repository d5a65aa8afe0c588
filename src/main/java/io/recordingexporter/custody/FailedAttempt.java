package io.recordingexporter.custody;

import io.recordingexporter.ledger.RecordingItem;
import java.time.Instant;

/**
 * A failed export attempt and what was decided: tried again at {@code nextAttempt}, or given up when that is null.
 * {@link #event()} names the audit event for it.
 */
public record FailedAttempt(RecordingItem item, String error, String failureClass, Instant nextAttempt) {

    /** DEFERRED: waiting durably in the ledger for its next attempt; FAILED: given up, an incident is raised. */
    public String event() {
        return nextAttempt == null ? "FAILED" : "DEFERRED";
    }
}
