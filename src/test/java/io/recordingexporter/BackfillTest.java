package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.sandbox.LedgerStatistics;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** POST /exports and GET /exports/{id} over real HTTP: validation, chunked discovery, progress, restart. */
class BackfillTest {

    private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-05-31T00:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> post(ExporterTestEnvironment environment, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(environment.businessUrl() + "/exports"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode progress(ExporterTestEnvironment environment, String id) throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(
                URI.create(environment.businessUrl() + "/exports/" + id)).header("Authorization", "Bearer "
                + ExporterTestEnvironment.READ_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        return reply.statusCode() == 404 ? null : json.readTree(reply.body());
    }

    private JsonNode awaitProgress(ExporterTestEnvironment environment, String id, Predicate<JsonNode> done,
            Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = progress(environment, id);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("backfill " + id + " did not get there in " + timeout + "; last: " + last);
    }

    private static List<SimulatedOrg.Conversation> inRange(SimulatedOrg org) {
        return org.conversations().stream().filter(c -> !c.start().isBefore(FROM) && c.start().isBefore(TO)).toList();
    }

    private static String range(String media) {
        return "{\"from\": \"" + FROM + "\", \"to\": \"" + TO + "\"" + (media == null ? "" : ", \"media\": " + media) + "}";
    }

    @Test
    void badRequestsGetAClearErrorAndRecordNothing() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(10, 3)) {
            Main exporter = environment.startExporter();
            String token = ExporterTestEnvironment.TOKEN;
            assertEquals(401, post(environment, range(null), null).statusCode());
            assertEquals(401, post(environment, range(null), "wrong").statusCode());
            Map<String, String> badBodies = Map.of(
                    "not json", "null",
                    "[1]", "null",
                    "{\"to\": \"2026-05-31T00:00:00Z\"}", "from",
                    "{\"from\": \"yesterday\", \"to\": \"2026-05-31T00:00:00Z\"}", "from",
                    "{\"from\": \"2026-05-31T00:00:00Z\", \"to\": \"2026-05-01T00:00:00Z\"}", "from",
                    "{\"from\": \"2026-05-01T00:00:00Z\", \"to\": \"2999-01-01T00:00:00Z\"}", "to",
                    "{\"from\": \"2020-01-01T00:00:00Z\", \"to\": \"2026-05-01T00:00:00Z\"}", "to",
                    range("[\"voice\", \"fax\"]"), "media",
                    range("[]"), "media");
            for (Map.Entry<String, String> bad : badBodies.entrySet()) {
                HttpResponse<String> reply = post(environment, bad.getKey(), token);
                assertEquals(400, reply.statusCode(), bad.getKey() + " -> " + reply.body());
                JsonNode error = json.readTree(reply.body());
                assertTrue(error.path("error").asText().length() > 5, reply.body());
                assertEquals(bad.getValue(), error.path("field").isNull() ? "null" : error.path("field").asText(),
                        bad.getKey() + " -> " + reply.body());
            }
            Thread.sleep(1500);
            Ledger ledger = exporter.getCamelContext().getRegistry().lookupByNameAndType("ledger", Ledger.class);
            assertNull(ledger.backfills().claimBackfill(), "no backfill was recorded");
            assertEquals(0, new LedgerStatistics(ledger.store()).counts().conversations());
            assertEquals(0L, environment.genesys().callsByEndpoint()
                    .getOrDefault("POST /api/v2/analytics/conversations/details/jobs", 0L), "Genesys was not asked");
            assertNull(progress(environment, "00000000-0000-4000-8000-000000000000"));
        }
    }

    @Test
    void aThirtyDayBackfillReportsProgressAndResumesAfterARestart() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(60, 21)) {
            // 72-hour chunks over 30 days: ten details jobs of about a second each
            environment.genesys().withDetailsJobDuration(Duration.ofMillis(900));
            Map<String, String> settings = Map.of("exporter.backfill.chunk-hours", "72",
                    "exporter.backfill.poll-interval-ms", "100");
            environment.startExporter(settings);
            HttpResponse<String> accepted = post(environment, range(null), ExporterTestEnvironment.TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json.readTree(accepted.body()).path("id").asText();

            JsonNode midway = awaitProgress(environment, id, p -> p.path("chunksDone").asInt() >= 3, Duration.ofSeconds(60));
            assertEquals(10, midway.path("chunksTotal").asInt());
            assertTrue(midway.path("chunksDone").asInt() < 10, "stopped in the middle: " + midway);
            environment.stopExporter();
            long jobsBeforeRestart = detailsJobs(environment);

            environment.startExporter(settings);
            JsonNode done = awaitProgress(environment, id, p -> "DONE".equals(p.path("state").asText()),
                    Duration.ofSeconds(90));
            assertEquals(10, done.path("chunksDone").asInt());
            assertEquals(TO.toString(), done.path("coveredUntil").asText());
            List<SimulatedOrg.Conversation> expected = inRange(environment.org());
            assertTrue(expected.size() > 20, "the seed puts conversations in May");
            assertEquals(expected.size(), done.path("conversationsFound").asInt(), "each conversation found once: " + done);
            long jobsAfterRestart = detailsJobs(environment) - jobsBeforeRestart;
            assertTrue(jobsAfterRestart <= 10 - midway.path("chunksDone").asInt() + 1,
                    "the restart resumed instead of starting over: " + jobsAfterRestart + " jobs after it");

            for (SimulatedOrg.Conversation conversation : expected) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(60));
                assertEquals("backfill", custody.path("intakeSource").asText());
            }
            int recordings = expected.stream().mapToInt(c -> c.recordings().size()).sum();
            JsonNode finished = progress(environment, id);
            assertEquals(recordings, finished.path("recordings").path("STORED").asInt(), finished.toString());
            // nothing outside the range was exported
            assertEquals(expected.size(),
                    new LedgerStatistics(environment.exporterLedger().store()).counts().conversations());
        }
    }

    @Test
    void aMediaFilterExportsOnlyThoseRecordings() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(60, 21)) {
            environment.startExporter(Map.of("exporter.backfill.chunk-hours", "720"));
            HttpResponse<String> accepted = post(environment, range("[\"screen\"]"), ExporterTestEnvironment.TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json.readTree(accepted.body()).path("id").asText();
            awaitProgress(environment, id, p -> "DONE".equals(p.path("state").asText()), Duration.ofSeconds(30));
            List<SimulatedOrg.Conversation> withScreen = inRange(environment.org()).stream()
                    .filter(c -> c.recordings().stream().anyMatch(r -> r.media().equals("screen"))).toList();
            assertTrue(withScreen.size() >= 2, "the seed has screen recordings in May");
            for (SimulatedOrg.Conversation conversation : withScreen) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(60));
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals("screen", item.path("media").asText(), "only screen recordings: " + custody);
                }
            }

            // a later webhook for one of them: the media the backfill left out are listed and exported now
            SimulatedOrg.Conversation later = withScreen.get(0);
            assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(later.id(), false))
                    .statusCode());
            JsonNode whole = environment.awaitCustody(later.id(), custody -> ExporterTestEnvironment.allStored(custody)
                    && custody.path("recordings").size() == later.recordings().size(), Duration.ofSeconds(60));
            for (JsonNode item : whole.path("recordings")) {
                assertEquals(environment.org().sha256Of(item.path("recordingId").asText()), item.path("sha256").asText());
            }
            JsonNode other = environment.custody(withScreen.get(1).id());
            for (JsonNode item : other.path("recordings")) {
                assertEquals("screen", item.path("media").asText(), "the others stay as the backfill asked: " + other);
            }
        }
    }

    private static long detailsJobs(ExporterTestEnvironment environment) {
        return environment.genesys().callsByEndpoint().getOrDefault("POST /api/v2/analytics/conversations/details/jobs", 0L);
    }

    /**
     * {@code "legalHoldOnly": true}: the range's conversations held by any source (deletion protection, the
     * participant attribute) are exported, each whole; the others are skipped, counted in the progress, and nothing
     * of them is queued; a later webhook for a skipped one exports it as usual.
     */
    @Test
    void aLegalHoldOnlyBackfillStoresExactlyTheHeldRecordingsAndSkipsTheRest() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(120, 21)) {
            environment.startExporter(Map.of("exporter.backfill.chunk-hours", "720"));
            assertEquals(400, post(environment, "{\"from\": \"" + FROM + "\", \"to\": \"" + TO
                    + "\", \"legalHoldOnly\": \"yes\"}", ExporterTestEnvironment.TOKEN).statusCode(),
                    "legalHoldOnly is a boolean");
            HttpResponse<String> accepted = post(environment, "{\"from\": \"" + FROM + "\", \"to\": \"" + TO
                    + "\", \"legalHoldOnly\": true}", ExporterTestEnvironment.TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json.readTree(accepted.body()).path("id").asText();

            List<SimulatedOrg.Conversation> range = inRange(environment.org());
            List<SimulatedOrg.Conversation> held = range.stream().filter(SimulatedOrg.Conversation::legalHold).toList();
            List<SimulatedOrg.Conversation> notHeld = range.stream().filter(c -> !c.legalHold()).toList();
            assertTrue(held.size() >= 3 && notHeld.size() >= 10, "the seed holds some of May: " + held.size());
            int heldRecordings = held.stream().mapToInt(c -> c.recordings().size()).sum();
            JsonNode done = awaitProgress(environment, id, p -> "DONE".equals(p.path("state").asText())
                    && p.path("conversationsSkipped").asInt() == notHeld.size()
                    && p.path("recordings").path("STORED").asInt() == heldRecordings, Duration.ofSeconds(90));
            assertTrue(done.path("legalHoldOnly").asBoolean(), done.toString());
            assertEquals(range.size(), done.path("conversationsFound").asInt(), done.toString());
            assertEquals(heldRecordings, done.path("recordings").path("STORED").asInt(), "every held recording stored");
            for (SimulatedOrg.Conversation conversation : held) {
                JsonNode custody = environment.custody(conversation.id());
                assertTrue(custody.path("legalHold").asBoolean(), custody.toString());
                assertEquals(conversation.recordings().size(), custody.path("recordings").size(), custody.toString());
            }
            for (SimulatedOrg.Conversation conversation : notHeld) {
                JsonNode custody = environment.custody(conversation.id());
                assertEquals(0, custody.path("recordings").size(), "nothing of a skipped one queued: " + custody);
                assertTrue(custody.path("skippedNotHeld").asBoolean(), custody.toString());
            }
            Ledger ledger = environment.exporterLedger();
            assertEquals(heldRecordings, new LedgerStatistics(ledger.store()).counts().recordings("STORED"),
                    "nothing else was stored");

            // a later webhook for a skipped conversation: listed again and exported whole
            SimulatedOrg.Conversation later = notHeld.get(0);
            assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(later.id(), false))
                    .statusCode());
            JsonNode whole = environment.awaitCustody(later.id(), custody -> ExporterTestEnvironment.allStored(custody)
                    && custody.path("recordings").size() == later.recordings().size(), Duration.ofSeconds(60));
            assertFalse(whole.path("skippedNotHeld").asBoolean(), whole.toString());
            assertEquals(notHeld.size() - 1, progress(environment, id).path("conversationsSkipped").asInt(),
                    "the progress counts it as skipped no longer");
        }
    }
}
