package io.recordingexporter.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The participant attribute that puts a conversation under legal hold ({@code GENESYS_LEGAL_HOLD_ATTRIBUTE}, default
 * {@code legalHold}): a conversation is held when any participant carries it set to a true value. An empty name
 * switches the attribute off as a source of holds.
 */
public record LegalHoldAttribute(String name) {

    /** What flows write for "yes": Architect's booleans, checkboxes, and what people type. */
    private static final Set<String> TRUE_VALUES = Set.of("true", "yes", "1", "on", "y");

    public LegalHoldAttribute {
        name = name == null ? "" : name.strip();
    }

    public boolean enabled() {
        return !name.isEmpty();
    }

    /** How the ledger, the audit trail and the sidecar name this source: {@code attribute:legalHold}. */
    public String source() {
        return "attribute:" + name;
    }

    /** Whether any of these participants' attributes holds the conversation. */
    public boolean holdsAny(Iterable<Map<String, String>> participantsAttributes) {
        if (!enabled()) {
            return false;
        }
        for (Map<String, String> attributes : participantsAttributes) {
            String value = attributes == null ? null : attributes.get(name);
            if (value != null && TRUE_VALUES.contains(value.strip().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
