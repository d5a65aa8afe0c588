package io.recordingexporter.ledger;

import java.time.Duration;
import java.time.Instant;

/**
 * A conversation whose recordings have been listed and routed: the legal hold decided for it (held or not, the sources
 * that hold it, whether its participants' attribute was read), when it ended, whether this was a relisting, the media
 * its sessions show that no listed recording has (comma-separated, null: none), and when it is to be listed again
 * (null: settled), with the missing-medium wait that time was chosen with; and the token of the claim it was listed
 * under (the ledger's update is fenced by it).
 */
public record ListedConversation(String conversationId, boolean legalHold, String legalHoldSource,
        boolean holdAttributeRead, Instant conversationEnd, boolean relisting, String missingMedia, Instant relistAt,
        Duration missingWait, String claimToken) {}
