package io.recordingexporter.intake;

/**
 * A conversation handed to the exporter: its id, whether the sender says it is under legal hold, and where it came
 * from (webhook, poll, backfill).
 */
public record ConversationWork(String conversationId, boolean legalHoldClaimed, String intakeSource) {}
