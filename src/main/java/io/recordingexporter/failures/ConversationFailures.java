package io.recordingexporter.failures;

import io.recordingexporter.genesys.ConversationExpander.Expansion;
import io.recordingexporter.ledger.Backfills;
import io.recordingexporter.ledger.ClaimedConversation;
import io.recordingexporter.ledger.ConversationQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Conversations whose listing failed or found nothing yet, and backfill chunks that failed: each is asked again on the
 * expansion schedule (a conversation already listed, at its next relisting), or given up when that runs out.
 */
public class ConversationFailures {

    private final ConversationQueue conversations;
    private final Backfills backfills;
    private final RetrySchedule expansionRetries;
    private final Duration relistRetry;
    private final Clock clock;

    /** @param relistRetry how long a conversation whose relisting failed waits before it is listed again */
    public ConversationFailures(ConversationQueue conversations, Backfills backfills, RetrySchedule expansionRetries,
            Duration relistRetry, Clock clock) {
        this.conversations = conversations;
        this.backfills = backfills;
        this.expansionRetries = expansionRetries;
        this.relistRetry = relistRetry;
        this.clock = clock;
    }

    /** The whole batch failed (Genesys unreachable, an answer we could not read): every conversation waits. */
    public void expansionFailed(List<ClaimedConversation> conversations, Throwable cause) {
        String error = FailureDescription.of(cause);
        for (ClaimedConversation conversation : conversations) {
            reschedule(conversation, error);
        }
    }

    /** A backfill chunk failed: the backfill tries the same chunk again later, or is FAILED. */
    public void backfillFailed(Backfills.BackfillClaim claim, Throwable cause) {
        Instant next = expansionRetries.nextAttemptAfter(claim.attempt(), clock.instant());
        backfills.rescheduleBackfill(claim, FailureDescription.of(cause), next);
    }

    /** Conversations of a batch that Genesys could not list yet wait for their next attempt. */
    public void expansionIncomplete(Expansion expansion) {
        expansion.notYet().forEach(this::reschedule);
    }

    private void reschedule(ClaimedConversation conversation, String error) {
        if (conversation.relisting()) {
            // listed before: its recordings so far are in the ledger; the next listing simply comes later
            conversations.rescheduleRelist(conversation, error, clock.instant().plus(relistRetry));
            return;
        }
        Instant next = expansionRetries.nextAttemptAfter(conversation.attempt(), clock.instant());
        conversations.rescheduleConversation(conversation, error, next);
    }
}
