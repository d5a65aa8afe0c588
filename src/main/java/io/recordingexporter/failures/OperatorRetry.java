package io.recordingexporter.failures;

import io.recordingexporter.domain.Requeued;
import io.recordingexporter.intake.WebhookRejectedException;
import io.recordingexporter.ledger.RecordingQueue;
import java.util.UUID;

/** {@code POST /recordings/{id}/retry}: an operator who fixed the cause of a failure queues the recording again. */
public class OperatorRetry {

    private final RecordingQueue recordings;

    public OperatorRetry(RecordingQueue recordings) {
        this.recordings = recordings;
    }

    /** Re-queues a FAILED recording; 400 for an id that is not a UUID, 404 when no FAILED recording has it. */
    public Requeued requeue(String recordingId) {
        try {
            UUID.fromString(recordingId);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new WebhookRejectedException(400, "recordingId must be a UUID", "recordingId");
        }
        if (!recordings.requeueFailed(recordingId)) {
            throw new WebhookRejectedException(404, "no FAILED recording with this id", "recordingId");
        }
        return new Requeued(recordingId);
    }
}
