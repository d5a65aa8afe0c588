package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.discovery.ConversationPoll;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.sandbox.LedgerStatistics;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * Genesys as the exporter really meets it, over HTTP against the simulator: discovery by the reconcile poll alone,
 * legal holds from deletion protection and participant attributes, batch links that expire, and recordings still
 * transcoding when first asked for.
 */
class GenesysDiscoveryTest {

    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(90);

    /** Poll settings that reach back over the whole seeded org (dated before 2026-06-01) in one window. */
    private static Map<String, String> pollEveryTwoSeconds() {
        long hours = Duration.between(Instant.parse("2026-04-01T00:00:00Z"), Instant.now()).toHours();
        return Map.of("exporter.poll.enabled", "true", "exporter.poll.cron", "0/2 * * * * ?",
                "exporter.poll.initial-lookback-hours", Long.toString(hours),
                "exporter.poll.max-window-hours", Long.toString(hours),
                "exporter.poll.settle-seconds", "0");
    }

    @Test
    void thePollAloneExportsTheOrgWithExactLegalHoldsAndASecondPollAddsNothing() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 11)) {
            SimulatedOrg org = environment.org();
            assertTrue(org.conversations().stream().anyMatch(SimulatedOrg.Conversation::protectedFromDeletion)
                    && org.conversations().stream().anyMatch(SimulatedOrg.Conversation::legalHoldAttribute),
                    "the seed has protected conversations and conversations with the attribute");
            Main exporter = environment.startExporter(pollEveryTwoSeconds());

            for (SimulatedOrg.Conversation conversation : org.conversations()) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        EXPORT_TIMEOUT);
                assertEquals("poll", custody.path("intakeSource").asText());
                for (JsonNode item : custody.path("recordings")) {
                    String recordingId = item.path("recordingId").asText();
                    assertEquals(org.sha256Of(recordingId), item.path("sha256").asText(), "bytes of " + recordingId);
                    String sources = item.path("legalHoldSource").asText("");
                    assertEquals(conversation.legalHold(), item.path("legalHold").asBoolean(), "hold of " + recordingId);
                    assertEquals(conversation.protectedFromDeletion(), sources.contains("deletion-protection"), sources);
                    assertEquals(conversation.legalHoldAttribute(), sources.contains("attribute:legalHold"), sources);
                    String key = item.path("s3Key").asText();
                    JsonNode sidecar = environment.readJson(environment.object(
                            key.substring(0, key.lastIndexOf('/') + 1) + recordingId + "_metadata.json"));
                    assertEquals(conversation.legalHold(), sidecar.path("custody").path("legalHold").asBoolean());
                    assertEquals(sources, sidecar.path("custody").path("legalHoldSource").asText(""));
                    assertEquals(conversation.id(), sidecar.path("conversation").path("conversationId").asText(),
                            "the sidecar carries the conversation's analytics details");
                }
            }

            Ledger ledger = exporter.getCamelContext().getRegistry().lookupByNameAndType("ledger", Ledger.class);
            Instant watermark = ledger.watermarks().watermark(ConversationPoll.WATERMARK);
            assertNotNull(watermark, "the watermark is persisted once a window is recorded");
            int jobsBefore = environment.genesys().detailsJobIntervals().size();
            Instant deadline = Instant.now().plusSeconds(20);
            while (environment.genesys().detailsJobIntervals().size() <= jobsBefore) {
                assertTrue(Instant.now().isBefore(deadline), "another poll ran");
                Thread.sleep(200);
            }
            // the next poll asks Genesys only for what follows the watermark (less the overlap), not the whole range
            String nextInterval = environment.genesys().detailsJobIntervals().get(jobsBefore);
            Instant nextStart = Instant.parse(nextInterval.substring(0, nextInterval.indexOf('/')));
            assertFalse(nextStart.isBefore(watermark.minus(Duration.ofMinutes(30))),
                    "the next poll starts at the watermark " + watermark + " less the 30-minute overlap: " + nextInterval);
            assertTrue(org.conversations().stream().allMatch(c -> c.start().isBefore(nextStart)),
                    "the next poll's window holds none of the org's conversations: " + nextInterval);
            Thread.sleep(1500);
            assertEquals(org.conversations().size(), new LedgerStatistics(ledger.store()).counts().conversations(),
                    "the next poll added nothing");
            assertFalse(ledger.watermarks().watermark(ConversationPoll.WATERMARK).isBefore(watermark), "the watermark never goes back");
        }
    }

    @Test
    void aConversationProtectedAfterItsExportComesUnderHoldAndIsAudited() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(30, 7)) {
            SimulatedOrg.Conversation later = environment.org().conversations().stream()
                    .filter(c -> !c.legalHold()).findFirst().orElseThrow();
            SimulatedOrg.Conversation never = environment.org().conversations().stream()
                    .filter(c -> !c.legalHold() && !c.id().equals(later.id())).findFirst().orElseThrow();
            environment.startExporter(Map.of("genesys.legal-hold.recheck-interval-seconds", "1",
                    "genesys.legal-hold.refresh-seconds", "0", "exporter.s3.object-lock.hold-interval-ms", "300"));
            for (SimulatedOrg.Conversation conversation : List.of(later, never)) {
                environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(), false));
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        EXPORT_TIMEOUT);
                assertFalse(custody.path("legalHold").asBoolean(), "not held when exported");
            }

            // a Genesys admin protects the conversation, through the real API
            HttpClient http = HttpClient.newHttpClient();
            String token = environment.genesys().issueToken();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(environment.genesys().baseUrl()
                    + "/api/v2/recordings/deletionprotection?protect=true"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"conversationIds\": [\"" + later.id() + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, put.statusCode(), put.body());

            JsonNode held = environment.awaitCustody(later.id(), c -> c.path("legalHold").asBoolean(), EXPORT_TIMEOUT);
            assertEquals("deletion-protection", held.path("legalHoldSource").asText());
            for (JsonNode item : held.path("recordings")) {
                assertTrue(item.path("legalHold").asBoolean(), "every recording held: " + item);
            }
            assertFalse(environment.custody(never.id()).path("legalHold").asBoolean(), "the other one stays unheld");
            String trail = String.join("\n", io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit")));
            assertTrue(trail.lines().anyMatch(line -> line.contains("\"LEGAL_HOLD_APPLIED\"") && line.contains(later.id())),
                    "the hold is in the audit trail");

            // and what S3 says changes too: a new sidecar version names the hold and its audit entry; the media stays
            for (JsonNode item : held.path("recordings")) {
                String recordingId = item.path("recordingId").asText();
                String key = item.path("s3Key").asText();
                String sidecarKey = key.substring(0, key.lastIndexOf('/') + 1) + recordingId + "_metadata.json";
                JsonNode sidecar = awaitSidecarHeld(environment, sidecarKey);
                JsonNode custody = sidecar.path("custody");
                assertEquals("deletion-protection", custody.path("legalHoldSource").asText(), sidecar.toString());
                assertEquals(item.path("sha256").asText(), custody.path("sha256").asText(), "same media, same hash");
                String updateEntry = custody.path("legalHoldUpdate").path("auditEntryHash").asText();
                java.util.List<String> lines = io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit"));
                assertTrue(lines.stream().anyMatch(line -> line.contains("\"SIDECAR_UPDATED\"")
                        && line.contains("\"hash\":\"" + updateEntry + "\"") && line.contains(recordingId)),
                        "the new sidecar names its SIDECAR_UPDATED entry " + updateEntry);
                assertEquals(item.path("sha256").asText(), environment.sha256OfObject(key), "the media is not rewritten");
            }
        }
    }

    private static JsonNode awaitSidecarHeld(ExporterTestEnvironment environment, String sidecarKey) throws Exception {
        Instant deadline = Instant.now().plus(EXPORT_TIMEOUT);
        JsonNode sidecar = null;
        while (Instant.now().isBefore(deadline)) {
            sidecar = environment.readJson(environment.object(sidecarKey));
            if (sidecar.path("custody").path("legalHold").asBoolean()) {
                return sidecar;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sidecar never said legalHold=true: " + sidecar);
    }

    @Test
    void expiredBatchLinksAreRefusedThenAskedForAgain() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(12, 5)) {
            // links live 2 s, the lanes first look 3 s after start: every link from the expansion has expired by then
            environment.genesys().withLinkLifetime(Duration.ofSeconds(2)).withTranscodingAfterStart(Duration.ZERO);
            environment.startExporter(Map.of("exporter.lane.poll-interval-ms", "3000"));
            for (SimulatedOrg.Conversation conversation : environment.org().conversations()) {
                assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(), false))
                        .statusCode());
            }
            for (SimulatedOrg.Conversation conversation : environment.org().conversations()) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        EXPORT_TIMEOUT);
                for (JsonNode item : custody.path("recordings")) {
                    String recordingId = item.path("recordingId").asText();
                    assertEquals(environment.org().sha256Of(recordingId),
                            environment.sha256OfObject(item.path("s3Key").asText()), "bytes of " + recordingId);
                }
            }
            assertTrue(environment.genesys().mediaLinksRefused() > 0, "the media host refused expired links");
            long batches = environment.genesys().callsByEndpoint().get("POST /api/v2/recording/batchrequests");
            assertTrue(batches >= 2, "lanes asked for new links after the expansion's batch: " + batches);
        }
    }

    @Test
    void aRecordingStillTranscodingIsAskedForAgainAndStored() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(60, 7)) {
            SimulatedOrg.Recording late = environment.org().conversations().stream()
                    .flatMap(c -> c.recordings().stream()).filter(SimulatedOrg.Recording::transcodedLate).findFirst()
                    .orElseThrow(() -> new AssertionError("the seed has a recording still transcoding"));
            environment.startExporter();
            assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(late.conversationId(), false))
                    .statusCode());
            JsonNode custody = environment.awaitCustody(late.conversationId(), ExporterTestEnvironment::allStored,
                    EXPORT_TIMEOUT);
            JsonNode item = null;
            for (JsonNode recording : custody.path("recordings")) {
                if (recording.path("recordingId").asText().equals(late.id())) {
                    item = recording;
                }
            }
            assertNotNull(item, "the transcoding recording is in the ledger");
            assertTrue(item.path("attempts").asInt() > 1, "it was not ready on the first attempt: " + item);
            assertEquals(environment.org().sha256Of(late.id()), environment.sha256OfObject(item.path("s3Key").asText()));
        }
    }
}
