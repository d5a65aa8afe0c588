package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.allStored;
import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.custody.S3KeyLayout;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A Genesys trigger's webhook says nothing about legal hold; the participant attribute that puts a conversation under
 * hold is read from Genesys in real time before any of its recordings is routed, so a held screen recording goes to
 * the legal-hold lane and its sidecar says so, whatever the webhook carried.
 */
class LegalHoldBeforeRoutingTest {

    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(90);
    private static final int CONVERSATIONS = 40;
    private static final String CONVERSATION_READ = "GET /api/v2/conversations/{id}";

    /** A seed whose org has a call with a screen recording held by the attribute alone (not protected). */
    private static final long SEED = LongStream.rangeClosed(1, 500).filter(seed -> SimulatedOrg.generate(seed,
            CONVERSATIONS, Instant.parse("2026-06-01T00:00:00Z"), SimulatedOrg.MediaSizes.SMALL).conversations().stream()
            .anyMatch(LegalHoldBeforeRoutingTest::attributeHeldWithScreen)).findFirst().orElseThrow();

    private static boolean attributeHeldWithScreen(SimulatedOrg.Conversation conversation) {
        return conversation.legalHoldAttribute() && !conversation.protectedFromDeletion()
                && conversation.recordings().stream().anyMatch(r -> r.media().equals("screen"));
    }

    private static SimulatedOrg.Conversation unheldWithScreen(SimulatedOrg org) {
        return org.conversations().stream().filter(c -> !c.legalHold()
                && c.recordings().stream().anyMatch(r -> r.media().equals("screen"))).findFirst().orElseThrow();
    }

    @Test
    void anAttributeHeldConversationIsRoutedAsHeldThoughTheWebhookSaysNothing() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(CONVERSATIONS, SEED)) {
            SimulatedOrg org = environment.org();
            SimulatedOrg.Conversation held = org.conversations().stream()
                    .filter(LegalHoldBeforeRoutingTest::attributeHeldWithScreen).findFirst().orElseThrow();
            SimulatedOrg.Conversation unheld = unheldWithScreen(org);
            environment.startExporter();
            for (SimulatedOrg.Conversation conversation : List.of(held, unheld)) {
                assertEquals(202, environment.postWebhook(simpleWebhook(conversation.id(), false)).statusCode());
            }

            JsonNode custody = awaitAll(environment, held);
            assertTrue(custody.path("legalHold").asBoolean(), "the conversation is held: " + custody);
            assertEquals("attribute:legalHold", custody.path("legalHoldSource").asText());
            for (JsonNode item : custody.path("recordings")) {
                assertTrue(item.path("legalHold").asBoolean(), "recording held: " + item);
                assertEquals("attribute:legalHold", item.path("legalHoldSource").asText(), "source named: " + item);
                if (item.path("media").asText().equals("screen")) {
                    assertEquals("screen-legal-hold", item.path("lane").asText(), "a held screen recording's lane");
                }
                JsonNode sidecar = sidecarOf(environment, item);
                assertTrue(sidecar.path("custody").path("legalHold").asBoolean(), "the sidecar says held: " + sidecar);
                assertEquals("attribute:legalHold", sidecar.path("custody").path("legalHoldSource").asText());
            }

            JsonNode other = awaitAll(environment, unheld);
            assertFalse(other.path("legalHold").asBoolean(), "a conversation without the attribute is not held");
            for (JsonNode item : other.path("recordings")) {
                if (item.path("media").asText().equals("screen")) {
                    assertEquals("screen", item.path("lane").asText(), "an unheld screen recording's lane");
                }
                assertFalse(sidecarOf(environment, item).path("custody").path("legalHold").asBoolean());
            }
            assertEquals(2L, environment.genesys().callsByEndpoint().getOrDefault(CONVERSATION_READ, 0L),
                    "each conversation's attributes read once, in real time");
        }
    }

    @Test
    void anEmptyAttributeNameSwitchesTheLookupOff() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(CONVERSATIONS, SEED)) {
            SimulatedOrg.Conversation held = environment.org().conversations().stream()
                    .filter(LegalHoldBeforeRoutingTest::attributeHeldWithScreen).findFirst().orElseThrow();
            environment.startExporter(Map.of("genesys.legal-hold.attribute", ""));
            assertEquals(202, environment.postWebhook(simpleWebhook(held.id(), false)).statusCode());
            JsonNode custody = awaitAll(environment, held);
            assertFalse(custody.path("legalHold").asBoolean(), "no attribute configured, none read: " + custody);
            assertEquals(0L, environment.genesys().callsByEndpoint().getOrDefault(CONVERSATION_READ, 0L),
                    "no real-time read when the attribute is switched off");
        }
    }

    /** Every recording of the conversation stored, the late ones included. */
    private static JsonNode awaitAll(ExporterTestEnvironment environment, SimulatedOrg.Conversation conversation)
            throws Exception {
        return environment.awaitCustody(conversation.id(), custody -> allStored(custody)
                && custody.path("recordings").size() == conversation.recordings().size(), EXPORT_TIMEOUT);
    }

    private static JsonNode sidecarOf(ExporterTestEnvironment environment, JsonNode item) throws Exception {
        String key = S3KeyLayout.sidecarKeyBeside(item.path("s3Key").asText(), item.path("recordingId").asText());
        return environment.readJson(environment.object(key));
    }
}
