package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.RecordingExporter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * The sandbox run end to end with every fault it can inject switched on: it must still end with every recording
 * stored, verified against the simulator's media, none failed and no incident, and a locked recording must not be
 * hammered while its lock lasts.
 */
class SandboxFaultsTest {

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void unknownFaultsAreRefusedWithTheListOfKnownOnes() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SandboxFaults.parse("lock-409,meteor", Instant.now()));
        assertTrue(unknown.getMessage().contains("meteor") && unknown.getMessage().contains("screen-500"));
        assertTrue(SandboxFaults.parse(" s3-down , DROP ", Instant.now()).on("drop"), "names are trimmed, any case");
    }

    @Test
    void everyRecordingIsStoredDespiteEveryFault() throws Exception {
        Path dir = Files.createTempDirectory("sandbox-faults");
        SandboxFaults faults = SandboxFaults.parse("lock-409,screen-500,slow,rate-429,drop,s3-down,servicenow-down",
                Instant.now(), java.time.Duration.ofSeconds(30));
        Sandbox.Options options = new Sandbox.Options(60, 11, "webhook", faults, SimulatedOrg.MediaSizes.SMALL,
                "faults-test-token");
        try (Sandbox sandbox = Sandbox.start(options, dir)) {
            Main main = RecordingExporter.newMain();
            Map<String, String> properties = new HashMap<>(sandbox.exporterProperties());
            properties.put("camel.server.port", Integer.toString(freePort()));
            properties.put("camel.server.host", "127.0.0.1");
            properties.put("camel.management.port", Integer.toString(freePort()));
            properties.put("camel.management.host", "127.0.0.1");
            properties.put("exporter.db.url", "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
            properties.put("exporter.audit.dir", dir.resolve("audit").toString());
            properties.put("exporter.spool-dir", dir.resolve("spool").toString());
            properties.put("exporter.poll.cron", "0/5 * * * * ?");
            properties.forEach(main::addOverrideProperty);
            main.addMainListener(sandbox.listener(main, true));
            main.run();

            JsonNode summary = new ObjectMapper().readTree(dir.resolve("sandbox-summary.json").toFile());
            int recordings = summary.path("recordings").asInt();
            assertTrue(recordings > 60, summary.toString());
            assertEquals(recordings, summary.path("stored").asInt(), summary.toString());
            assertEquals(0, summary.path("failed").asInt());
            assertEquals(0, summary.path("incidents").asInt(), "nothing reached the dead letter");
            assertEquals(recordings, summary.path("verification").path("verified").asInt());
            assertEquals(recordings, summary.path("verification").path("legalHoldMatched").asInt());
            assertTrue(summary.path("http429").asLong() > 0, "429s were injected");

            // a locked recording is tried with a growing, jittered pause: about log2(window / base delay) + 2 times
            Map<String, Integer> conflictsByRecording = new HashMap<>();
            for (String line : Files.readAllLines(dir.resolve("audit").resolve("audit-trail.jsonl"))) {
                if (line.contains("\"event\":\"DEFERRED\"") && line.contains("\"failureClass\":\"conflict\"")) {
                    String recordingId = new ObjectMapper().readTree(line).path("recordingId").asText();
                    conflictsByRecording.merge(recordingId, 1, Integer::sum);
                }
            }
            assertTrue(!conflictsByRecording.isEmpty(), "lock-409 made legal-hold recordings wait");
            double bound = Math.log((double) faults.window().toMillis() / 2000) / Math.log(2) + 2;
            int most = conflictsByRecording.values().stream().max(Integer::compare).orElse(0);
            assertTrue(most <= Math.ceil(bound), "at most " + bound + " tries while locked, saw " + conflictsByRecording);
        }
    }
}
