package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sandbox run end to end with every fault it can inject switched on: it must still end with every recording
 * stored, verified against the simulator's media, none failed and no incident, and a locked recording must not be
 * hammered while its lock lasts.
 */
class SandboxFaultsTest {

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
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of("exporter.poll.cron", "0/5 * * * * ?"));
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
