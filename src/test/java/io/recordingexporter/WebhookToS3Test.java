package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.allStored;
import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Webhook in, recordings out: the bytes in S3, their sidecars, their lanes, and the audit trail. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookToS3Test {

    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(60);
    private ExporterTestEnvironment environment;
    private org.apache.camel.main.Main exporter;

    @BeforeAll
    void start() throws Exception {
        environment = new ExporterTestEnvironment(60, 7);
        exporter = environment.startExporter();
    }

    @AfterAll
    void stop() throws Exception {
        environment.close();
    }

    private SimulatedOrg.Conversation conversation(Predicate<SimulatedOrg.Conversation> wanted, String what) {
        return environment.org().conversations().stream().filter(wanted).findFirst()
                .orElseThrow(() -> new AssertionError("the seeded org has no " + what));
    }

    /** Recorded calls with the agent's screen recorded too; each test takes its own. */
    private List<SimulatedOrg.Conversation> callsWithScreen() {
        List<SimulatedOrg.Conversation> calls = environment.org().conversations().stream()
                .filter(c -> has(c, "audio") && has(c, "screen")).toList();
        assertTrue(calls.size() >= 3, "the seeded org has three calls with screen recordings");
        return calls;
    }

    private static boolean has(SimulatedOrg.Conversation conversation, String media) {
        return conversation.recordings().stream().anyMatch(recording -> recording.media().equals(media));
    }

    @Test
    void webhookExportsEveryRecordingByteIdenticalWithItsSidecar() throws Exception {
        SimulatedOrg.Conversation call = callsWithScreen().get(0);

        HttpResponse<String> reply = environment.postWebhook(simpleWebhook(call.id(), false));
        assertEquals(202, reply.statusCode(), "webhook accepted: " + reply.body());
        assertEquals("{\"accepted\": 1, \"duplicates\": 0}", reply.body(), "one conversation accepted");

        JsonNode custody = environment.awaitCustody(call.id(), ExporterTestEnvironment::allStored, EXPORT_TIMEOUT);
        assertEquals(call.recordings().size(), custody.path("recordings").size(), "one ledger item per recording");
        ZonedDateTime start = call.recordings().stream().map(SimulatedOrg.Recording::start).min(java.util.Comparator.naturalOrder())
                .orElseThrow().atZone(ZoneOffset.UTC);
        String folder = String.format("genesys/year=%04d/month=%02d/day=%02d/conversation_id=%s/", start.getYear(),
                start.getMonthValue(), start.getDayOfMonth(), call.id());
        for (JsonNode item : custody.path("recordings")) {
            String recordingId = item.path("recordingId").asText();
            SimulatedOrg.Recording source = environment.org().recording(recordingId);
            String key = item.path("s3Key").asText();
            String expectedSha = environment.org().sha256Of(recordingId);
            String extension = source.media().equals("audio") ? "wav" : "webm";
            assertEquals(folder + recordingId + "." + extension, key, "media key follows the Genesys export layout");
            assertEquals(expectedSha, environment.sha256OfObject(key), "bytes in S3 equal the Genesys media");
            assertEquals(expectedSha, item.path("sha256").asText(), "ledger records the SHA-256 of the bytes");
            assertEquals(source.sizeBytes(), item.path("sizeBytes").asLong(), "ledger records the size");

            JsonNode sidecar = environment.readJson(environment.object(folder + recordingId + "_metadata.json"));
            assertEquals(recordingId, sidecar.path("id").asText(), "sidecar carries the Genesys recording metadata");
            assertEquals(source.media(), sidecar.path("media").asText(), "sidecar media as Genesys listed it");
            assertEquals(expectedSha, sidecar.path("custody").path("sha256").asText(), "sidecar custody SHA-256");
            assertEquals(source.sizeBytes(), sidecar.path("custody").path("sizeBytes").asLong(), "sidecar custody size");
            assertEquals(key, sidecar.path("custody").path("s3Key").asText(), "sidecar names its media object");
            assertEquals("x-amz-checksum-sha256", sidecar.path("custody").path("serverVerifiedChecksum").asText(),
                    "S3Proxy verifies x-amz-checksum-sha256, and the sidecar says so");
        }
        assertEquals(call.recordings().size() * 2, environment.objectsUnder(folder).size(),
                "exactly one media object and one sidecar per recording");
        try (Stream<Path> spool = Files.walk(environment.dir().resolve("spool"))) {
            assertEquals(List.of(), spool.filter(Files::isRegularFile).toList(), "spool files are removed once stored");
        }
    }

    @Test
    void sameConversationTwiceIsExportedOnce() throws Exception {
        SimulatedOrg.Conversation chat = conversation(c -> c.kind().equals("chat"), "chat conversation");

        HttpResponse<String> batch = environment.postWebhook("[" + simpleWebhook(chat.id(), false) + ", "
                + simpleWebhook(chat.id(), false) + "]");
        assertEquals("{\"accepted\": 1, \"duplicates\": 1}", batch.body(), "a batch naming it twice records it once");
        JsonNode custody = environment.awaitCustody(chat.id(), ExporterTestEnvironment::allStored, EXPORT_TIMEOUT);
        String key = custody.path("recordings").get(0).path("s3Key").asText();
        long firstLastModified = environment.s3().headObject(b -> b.bucket(ExporterTestEnvironment.BUCKET).key(key))
                .lastModified().toEpochMilli();

        HttpResponse<String> again = environment.postWebhook(simpleWebhook(chat.id(), false));
        assertEquals(202, again.statusCode(), "a repeated webhook is still acknowledged");
        assertEquals("{\"accepted\": 0, \"duplicates\": 1}", again.body(), "and counted as a duplicate");
        Thread.sleep(1000); // several lane polls
        JsonNode after = environment.custody(chat.id());
        assertEquals(1, after.path("recordings").get(0).path("attempts").asInt(), "no second export attempt");
        String folder = key.substring(0, key.lastIndexOf('/') + 1);
        assertEquals(2, environment.objectsUnder(folder).size(), "still one media object and one sidecar");
        assertEquals(firstLastModified, environment.s3().headObject(b -> b.bucket(ExporterTestEnvironment.BUCKET).key(key))
                .lastModified().toEpochMilli(), "the object was not written again");
    }

    @Test
    void contentBasedRouterSendsEachMediaAndHoldToItsLane() throws Exception {
        SimulatedOrg.Conversation heldCall = callsWithScreen().get(1);
        SimulatedOrg.Conversation screenCall = callsWithScreen().get(2);
        SimulatedOrg.Conversation sms = conversation(c -> has(c, "message"), "SMS conversation");
        SimulatedOrg.Conversation email = conversation(c -> has(c, "email"), "email conversation");
        SimulatedOrg.Conversation chat = environment.org().conversations().stream()
                .filter(c -> has(c, "chat")).skip(1).findFirst().orElseThrow();

        HttpResponse<String> reply = environment.postWebhook("[" + simpleWebhook(heldCall.id(), true) + ", "
                + simpleWebhook(screenCall.id(), false) + ", " + simpleWebhook(sms.id(), false) + ", "
                + simpleWebhook(email.id(), false) + ", " + simpleWebhook(chat.id(), false) + "]");
        assertEquals(202, reply.statusCode(), reply.body());

        Map<String, String> laneByMediaAndHold = new HashMap<>();
        for (SimulatedOrg.Conversation conversation : List.of(heldCall, screenCall, sms, email, chat)) {
            JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored, EXPORT_TIMEOUT);
            for (JsonNode item : custody.path("recordings")) {
                laneByMediaAndHold.put(item.path("media").asText() + (item.path("legalHold").asBoolean() ? "+hold" : ""),
                        item.path("lane").asText());
            }
        }
        assertEquals("screen-legal-hold", laneByMediaAndHold.get("screen+hold"), "legal-hold screen in its own lane");
        assertEquals("voice", laneByMediaAndHold.get("audio+hold"), "legal-hold voice stays in the voice lane");
        assertEquals("screen", laneByMediaAndHold.get("screen"), "screen without hold in the screen lane");
        assertEquals("digital", laneByMediaAndHold.get("message"), "SMS in the digital lane");
        assertEquals("digital", laneByMediaAndHold.get("email"), "email in the digital lane");
        assertEquals("digital", laneByMediaAndHold.get("chat"), "chat in the digital lane");
        JsonNode held = environment.custody(heldCall.id());
        assertTrue(held.path("legalHold").asBoolean(), "the webhook's legal-hold flag is recorded");
        assertEquals("webhook", held.path("legalHoldSource").asText(), "with the source of the decision");
    }

    @Test
    void auditTrailChainsEveryStepBeforeTheLedgerSaysStored() throws Exception {
        SimulatedOrg.Conversation email = environment.org().conversations().stream()
                .filter(c -> has(c, "email")).skip(1).findFirst().orElseThrow();
        // the ledger itself reports the moment a row turns STORED: a trigger looks into the audit trail right then
        LedgerStoredWitness.auditDir = environment.dir().resolve("audit");
        try (Connection ledger = DriverManager.getConnection(environment.properties().get("exporter.db.url"), "sa", "");
                Statement create = ledger.createStatement()) {
            create.execute("CREATE TRIGGER IF NOT EXISTS stored_witness AFTER UPDATE ON recording_item FOR EACH ROW CALL '"
                    + LedgerStoredWitness.class.getName() + "'");
        }
        environment.postWebhook(simpleWebhook(email.id(), false));
        JsonNode custody = environment.awaitCustody(email.id(), ExporterTestEnvironment::allStored, EXPORT_TIMEOUT);
        String recordingId = custody.path("recordings").get(0).path("recordingId").asText();
        assertEquals(Boolean.TRUE, LedgerStoredWitness.auditHadStored.get(recordingId),
                "when the ledger's row turned STORED, the trail on disk already held the recording's STORED entry");

        Thread.sleep(300); // ROUTED and FETCHED go through a wire tap
        List<String> lines = io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit"));
        String previousHash = "0".repeat(64);
        long previousSeq = 0;
        List<String> eventsOfThisRecording = new java.util.ArrayList<>();
        List<String> eventsOfThisConversation = new java.util.ArrayList<>();
        for (String line : lines) {
            JsonNode entry = environment.readJson(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(previousSeq + 1, entry.path("seq").asLong(), "sequence numbers have no gap");
            assertEquals(previousHash, entry.path("prevHash").asText(), "each entry names the hash before it");
            previousHash = entry.path("hash").asText();
            previousSeq = entry.path("seq").asLong();
            if (recordingId.equals(entry.path("recordingId").asText())) {
                eventsOfThisRecording.add(entry.path("event").asText());
            }
            if (email.id().equals(entry.path("conversationId").asText())) {
                eventsOfThisConversation.add(entry.path("event").asText());
            }
        }
        assertEquals(List.of("ROUTED", "FETCHED", "STORED"), eventsOfThisRecording, "every step of the recording audited");
        assertEquals("RECEIVED", eventsOfThisConversation.get(0), "the webhook's receipt comes first");
        assertFalse(lines.isEmpty(), "the trail is not empty");
    }

    @Test
    void eachLaneQueueIsBuiltFromItsNameAndSettings() {
        var context = exporter.getCamelContext();
        for (String lane : ExporterBeans.LANES) {
            String keys = "exporter.lane." + lane + ".";
            org.apache.camel.component.seda.SedaEndpoint queue = context.getEndpoints().stream()
                    .filter(org.apache.camel.component.seda.SedaEndpoint.class::isInstance)
                    .map(org.apache.camel.component.seda.SedaEndpoint.class::cast)
                    .filter(endpoint -> endpoint.getEndpointUri().startsWith("seda://" + lane + "-exports"))
                    .findFirst().orElseThrow(() -> new AssertionError("no export queue for lane " + lane));
            assertEquals(Integer.parseInt(context.resolvePropertyPlaceholders("{{" + keys + "threads}}")),
                    queue.getConcurrentConsumers(), lane + ": its threads consume its queue");
            assertEquals(Integer.parseInt(context.resolvePropertyPlaceholders("{{" + keys + "queue-size}}")),
                    queue.getSize(), lane + ": its queue holds queue-size recordings");
            assertTrue(queue.isBlockWhenFull(), lane + ": a full queue holds the worker back");
        }
    }

    /**
     * An H2 trigger on the ledger's recording rows: each time one turns STORED it notes whether the audit trail's
     * files already hold that recording's STORED entry.
     */
    public static final class LedgerStoredWitness implements org.h2.api.Trigger {

        static volatile Path auditDir;
        static final Map<String, Boolean> auditHadStored = new java.util.concurrent.ConcurrentHashMap<>();
        private int recordingIdColumn = -1;
        private int stateColumn = -1;

        @Override
        public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
                throws java.sql.SQLException {
            try (var columns = connection.createStatement().executeQuery("SELECT COLUMN_NAME, ORDINAL_POSITION FROM"
                    + " INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'RECORDING_ITEM'")) {
                while (columns.next()) {
                    switch (columns.getString(1)) {
                        case "RECORDING_ID" -> recordingIdColumn = columns.getInt(2) - 1;
                        case "STATE" -> stateColumn = columns.getInt(2) - 1;
                        default -> { }
                    }
                }
            }
        }

        @Override
        public void fire(Connection connection, Object[] before, Object[] after) {
            if (after == null || !"STORED".equals(after[stateColumn]) || "STORED".equals(before[stateColumn])) {
                return;
            }
            String recordingId = (String) after[recordingIdColumn];
            try {
                boolean onDisk = io.recordingexporter.audit.AuditTrail.lines(auditDir).stream()
                        .anyMatch(line -> line.contains("\"event\":\"STORED\"") && line.contains(recordingId));
                auditHadStored.put(recordingId, onDisk);
            } catch (java.io.IOException e) {
                auditHadStored.put(recordingId, false);
            }
        }
    }
}
