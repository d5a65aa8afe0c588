package io.recordingexporter.intake;

/**
 * A conversation handed to the exporter: its id, whether its source says it is under legal hold (and which source
 * says so: the webhook's flag, a participant attribute), where it came from (webhook, poll, backfill), and whether the
 * intake already read the participants' legal-hold attribute (the poll's details jobs carry it; a webhook does not),
 * and, for a rescue of a bulk job, the recordings wanted (null: all of them).
 */
public record ConversationWork(String conversationId, boolean legalHoldClaimed, String intakeSource,
        String legalHoldSource, boolean holdAttributeRead, java.util.List<String> recordingIds) {

    public ConversationWork(String conversationId, boolean legalHoldClaimed, String intakeSource,
            String legalHoldSource, boolean holdAttributeRead) {
        this(conversationId, legalHoldClaimed, intakeSource, legalHoldSource, holdAttributeRead, null);
    }

    /** Only these recordings of the conversation are wanted (a bulk job's failed ones); the others are not queued. */
    public static ConversationWork recordingsOnly(String conversationId, String intakeSource,
            java.util.List<String> recordingIds) {
        return new ConversationWork(conversationId, false, intakeSource, null, false, java.util.List.copyOf(recordingIds));
    }

    /** Work whose hold, if claimed, is claimed by the intake itself (the webhook's {@code legalHold} flag). */
    public ConversationWork(String conversationId, boolean legalHoldClaimed, String intakeSource) {
        this(conversationId, legalHoldClaimed, intakeSource, legalHoldClaimed ? intakeSource : null, false);
    }
}
