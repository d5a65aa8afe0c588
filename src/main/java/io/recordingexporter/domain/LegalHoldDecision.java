package io.recordingexporter.domain;

import java.util.Set;
import java.util.TreeSet;

/**
 * Whether a conversation is under legal hold, and why. The rule: the union of the sources decides (the sources its
 * intake recorded, Genesys's deletion protection, the participant attribute); the answer names every source that said
 * yes. The attribute is read only when nothing else holds the conversation yet, the attribute is configured, and no
 * intake has read it already. Nothing ever subtracts a source: an intake (a webhook, say) that says nothing about the
 * hold does not make a held conversation unheld. A conversation Genesys does not know yet is undecided, not unheld.
 *
 * @param sources the sources that hold it, comma-separated and sorted; null when none does
 * @param attributeRead whether the participant attribute has been read (by the intake or for this decision)
 * @param undecided why it could not be decided yet; null once decided
 */
public record LegalHoldDecision(boolean legalHold, String sources, boolean attributeRead, String undecided) {

    /** The source named for Genesys's own mechanism: the conversation is protected from deletion. */
    public static final String DELETION_PROTECTION = "deletion-protection";

    /** The sources known before any attribute read: those the intake recorded, plus deletion protection. */
    public static Set<String> knownSources(String recordedSources, boolean protectedFromDeletion) {
        Set<String> sources = new TreeSet<>();
        if (recordedSources != null) {
            for (String source : recordedSources.split(",")) {
                if (!source.isBlank()) {
                    sources.add(source.strip());
                }
            }
        }
        if (protectedFromDeletion) {
            sources.add(DELETION_PROTECTION);
        }
        return sources;
    }

    /** Whether the participant attribute must still be read before the conversation can be decided. */
    public static boolean attributeToRead(Set<String> knownSources, boolean attributeEnabled, boolean attributeRead) {
        return knownSources.isEmpty() && attributeEnabled && !attributeRead;
    }

    /** The decision from all the sources that hold the conversation (none: not under hold). */
    public static LegalHoldDecision of(Set<String> sources, boolean attributeRead) {
        Set<String> sorted = new TreeSet<>(sources);
        return new LegalHoldDecision(!sorted.isEmpty(), sorted.isEmpty() ? null : String.join(",", sorted),
                attributeRead, null);
    }

    /** Not decided yet, with why; the conversation waits rather than being exported as unheld. */
    public static LegalHoldDecision undecided(String why) {
        return new LegalHoldDecision(false, null, false, why);
    }

    public boolean decided() {
        return undecided == null;
    }
}
