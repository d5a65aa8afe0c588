package io.recordingexporter.lanes;

import io.recordingexporter.custody.FailedAttempt;
import io.recordingexporter.genesys.RecordingsNotListedException;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.Ledger.ClaimedConversation;
import io.recordingexporter.ledger.RecordingItem;
import java.time.Clock;
import java.time.Instant;

/**
 * What happens to work whose attempt failed: the ledger records the error and either schedules the next attempt or
 * marks it FAILED. Called from the error policies of the routes.
 */
public class FailedWork {

    private final Ledger ledger;
    private final RetrySchedule recordingRetries;
    private final RetrySchedule expansionRetries;
    private final Clock clock;

    public FailedWork(Ledger ledger, RetrySchedule recordingRetries, RetrySchedule expansionRetries, Clock clock) {
        this.ledger = ledger;
        this.recordingRetries = recordingRetries;
        this.expansionRetries = expansionRetries;
        this.clock = clock;
    }

    public FailedAttempt recordingFailed(RecordingItem item, Throwable cause) {
        Instant next = recordingRetries.nextAttemptAfter(item.attempts(), clock.instant());
        String error = describe(cause);
        ledger.recordFailedAttempt(item.recordingId(), error, next);
        return new FailedAttempt(item, error, next);
    }

    public void expansionFailed(ClaimedConversation conversation, Throwable cause) {
        Instant next = expansionRetries.nextAttemptAfter(conversation.attempt(), clock.instant());
        ledger.rescheduleConversation(conversation.conversationId(), describe(cause), next);
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof RecordingsNotListedException) {
            return cause.getMessage();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }
}
