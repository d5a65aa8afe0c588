package io.recordingexporter.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.intake.ConversationWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which mention of a conversation named twice in one batch is kept: the one that says more about its hold. */
class ConversationIntakeRuleTest {

    @Test
    void aLaterMentionWinsOnlyWhenItClaimsAHoldOrReadTheAttribute() {
        List<String> duplicates = new ArrayList<>();
        ConversationWork plain = new ConversationWork("a", false, "webhook");
        ConversationWork held = new ConversationWork("a", true, "webhook");
        ConversationWork other = new ConversationWork("b", true, "webhook");
        ConversationWork otherPlain = new ConversationWork("b", false, "webhook");
        Map<String, ConversationWork> unique = ConversationIntake.uniqueByConversation(
                List.of(plain, other, held, otherPlain), duplicates);
        assertEquals(List.of("a", "b"), List.copyOf(unique.keySet()), "first-mention order");
        assertTrue(unique.get("a").legalHoldClaimed(), "a later hold claim replaces an earlier mention without one");
        assertTrue(unique.get("b").legalHoldClaimed(), "a later mention without a hold never lowers it");
        assertEquals(List.of("a", "b"), duplicates, "each later mention is a duplicate");
    }
}
