package io.recordingexporter.lanes;

import io.recordingexporter.custody.FailedAttempt;
import io.recordingexporter.genesys.ConversationExpander.Expansion;
import io.recordingexporter.genesys.MediaLinkRefusedException;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.Ledger.ClaimedConversation;
import io.recordingexporter.ledger.RecordingItem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
        if (cause instanceof MediaLinkRefusedException) {
            ledger.forgetMediaLink(item.recordingId());
        }
        Instant next = recordingRetries.nextAttemptAfter(item.attempts(), clock.instant());
        String error = describe(cause);
        ledger.recordFailedAttempt(item.recordingId(), error, next);
        return new FailedAttempt(item, error, next);
    }

    /** The whole batch failed (Genesys unreachable, an answer we could not read): every conversation waits. */
    public void expansionFailed(List<ClaimedConversation> conversations, Throwable cause) {
        String error = describe(cause);
        for (ClaimedConversation conversation : conversations) {
            reschedule(conversation, error);
        }
    }

    /** A backfill chunk failed: the backfill tries the same chunk again later, or is FAILED. */
    public void backfillFailed(Ledger.BackfillClaim claim, Throwable cause) {
        Instant next = expansionRetries.nextAttemptAfter(claim.attempt(), clock.instant());
        ledger.rescheduleBackfill(claim.exportId(), describe(cause), next);
    }

    /** Conversations of a batch that Genesys could not list yet wait for their next attempt. */
    public void expansionIncomplete(Expansion expansion) {
        expansion.notYet().forEach(this::reschedule);
    }

    private void reschedule(ClaimedConversation conversation, String error) {
        Instant next = expansionRetries.nextAttemptAfter(conversation.attempt(), clock.instant());
        ledger.rescheduleConversation(conversation.conversationId(), error, next);
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }
}
