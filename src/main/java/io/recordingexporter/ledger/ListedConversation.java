package io.recordingexporter.ledger;

/**
 * A conversation whose recordings have been listed and routed, with the legal hold decided for it then: held or not,
 * the sources that hold it, and whether its participants' attribute was read.
 */
public record ListedConversation(String conversationId, boolean legalHold, String legalHoldSource,
        boolean holdAttributeRead) {}
