package io.recordingexporter.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The legal-hold rule: the union of the sources decides, nothing subtracts a source, unknown is not unheld. */
class LegalHoldDecisionTest {

    private static final LegalHoldAttribute ATTRIBUTE = new LegalHoldAttribute("legalHold");

    @Test
    void theUnionOfTheSourcesDecidesAndTheAnswerNamesEachSourceOnceSorted() {
        Set<String> sources = LegalHoldDecision.knownSources(" webhook , ,attribute:legalHold,webhook", true);
        LegalHoldDecision decision = LegalHoldDecision.of(sources, true);
        assertTrue(decision.legalHold());
        assertEquals("attribute:legalHold,deletion-protection,webhook", decision.sources(),
                "every source that said yes, each once, sorted; blanks dropped");
        assertTrue(decision.decided());
    }

    @Test
    void deletionProtectionAloneHoldsAConversationWhoseIntakeSaidNothing() {
        LegalHoldDecision decision = LegalHoldDecision.of(LegalHoldDecision.knownSources(null, true), false);
        assertTrue(decision.legalHold(), "a webhook without a hold flag does not make a protected conversation unheld");
        assertEquals(LegalHoldDecision.DELETION_PROTECTION, decision.sources());
    }

    @Test
    void aSourceTheIntakeRecordedStillHoldsWhenGenesysNoLongerReportsProtection() {
        LegalHoldDecision decision = LegalHoldDecision.of(LegalHoldDecision.knownSources("attribute:legalHold", false),
                true);
        assertTrue(decision.legalHold(), "nothing ever subtracts a source");
        assertEquals("attribute:legalHold", decision.sources());
    }

    @Test
    void noSourceMeansNotHeldWithNoSourcesNamed() {
        LegalHoldDecision decision = LegalHoldDecision.of(LegalHoldDecision.knownSources("", false), true);
        assertFalse(decision.legalHold());
        assertNull(decision.sources());
        assertTrue(decision.attributeRead());
    }

    @Test
    void theAttributeIsReadOnlyWhenNothingHoldsYetItIsConfiguredAndNoIntakeReadIt() {
        assertTrue(LegalHoldDecision.attributeToRead(Set.of(), true, false));
        assertFalse(LegalHoldDecision.attributeToRead(Set.of("deletion-protection"), true, false),
                "already held: another read cannot change the answer");
        assertFalse(LegalHoldDecision.attributeToRead(Set.of(), false, false), "attribute switched off");
        assertFalse(LegalHoldDecision.attributeToRead(Set.of(), true, true), "the intake (a details job) read it");
    }

    @Test
    void aConversationGenesysDoesNotKnowYetIsUndecidedNotUnheld() {
        LegalHoldDecision decision = LegalHoldDecision.undecided("Genesys does not know conversation c yet");
        assertFalse(decision.decided(), "it waits instead of being exported as unheld");
        assertEquals("Genesys does not know conversation c yet", decision.undecided());
    }

    @Test
    void theAttributeHoldsOnAnyParticipantsTrueValueAsFlowsWriteIt() {
        for (String yes : List.of("true", "True", " yes ", "1", "on", "Y")) {
            assertTrue(ATTRIBUTE.holdsAny(participants(null, Map.of("legalHold", yes))), yes + " means held");
        }
        for (String no : List.of("false", "no", "0", "", "held")) {
            assertFalse(ATTRIBUTE.holdsAny(participants(Map.of("legalHold", no))), "'" + no + "' does not hold");
        }
        assertFalse(ATTRIBUTE.holdsAny(participants(Map.of("LegalHold", "true"))), "the name is exact");
        assertFalse(new LegalHoldAttribute(" ").holdsAny(participants(Map.of("legalHold", "true"))),
                "an empty name switches the attribute off");
        assertEquals("attribute:legalHold", ATTRIBUTE.source());
    }

    @SafeVarargs
    private static List<Map<String, String>> participants(Map<String, String>... attributes) {
        return Arrays.stream(attributes).<Map<String, String>>map(map -> map == null ? null : new HashMap<>(map)).toList();
    }
}
