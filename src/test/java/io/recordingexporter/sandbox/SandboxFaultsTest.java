package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void everyRecordingIsStoredDespiteEveryFault(@TempDir Path dir) throws Exception {
        SandboxFaults faults = SandboxFaults.parse("lock-409,screen-500,slow,rate-429,drop,s3-down,servicenow-down",
                Instant.now(), java.time.Duration.ofSeconds(30));
        Sandbox.Options options = new Sandbox.Options(60, 11, "webhook", faults, SimulatedOrg.MediaSizes.SMALL,
                "faults-test-token").withLateScreenDelay(Duration.ofSeconds(5));
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of("exporter.poll.cron", "0/5 * * * * ?"));
        int recordings = summary.path("recordings").asInt();
        assertTrue(recordings > 60, summary.toString());
        assertEquals(recordings, summary.path("stored").asInt(), summary.toString());
        assertEquals(0, summary.path("failed").asInt());
        assertEquals(0, summary.path("incidents").asInt(), "nothing reached the dead letter");
        assertEquals(recordings, summary.path("verification").path("verified").asInt());
        assertEquals(recordings, summary.path("verification").path("legalHoldMatched").asInt());
        assertTrue(summary.path("http429").asLong() > 0, "429s were injected");
        io.recordingexporter.metrics.MetricsAfterSandboxRun.check(dir.resolve("sandbox-metrics.prom"), summary);

        // a locked recording is tried with a growing, jittered pause: about log2(window / base delay) + 2 times
        Map<String, Integer> conflictsByRecording = new HashMap<>();
        for (String line : io.recordingexporter.audit.AuditTrail.lines(dir.resolve("audit"))) {
            if (line.contains("\"event\":\"DEFERRED\"") && line.contains("\"failureClass\":\"conflict\"")) {
                String recordingId = new ObjectMapper().readTree(line).path("recordingId").asText();
                conflictsByRecording.merge(recordingId, 1, Integer::sum);
            }
        }
        assertTrue(!conflictsByRecording.isEmpty(), "lock-409 made legal-hold recordings wait");
        double bound = Math.log((double) faults.window().toMillis() / 2000) / Math.log(2) + 2;
        int most = conflictsByRecording.values().stream().max(Integer::compare).orElse(0);
        assertTrue(most <= Math.ceil(bound), "at most " + bound + " tries while locked, saw " + conflictsByRecording);
        // and each try costs one re-read of its metadata, never a media call while it is still locked
        long calls = summary.path("mostGenesysCallsForOneRecording").asLong();
        System.out.println("locked recordings: most deferrals " + most + ", most Genesys calls for one recording " + calls
                + ", bound " + bound);
        assertTrue(calls <= Math.ceil(bound) + 1, "Genesys calls for one recording: " + calls + ", bound " + bound);
    }

    @Test
    void aLockedRecordingIsReReadNotHammeredAndExportedSoonAfterItsLock(@TempDir Path dir) throws Exception {
        java.time.Duration window = java.time.Duration.ofSeconds(18);
        SandboxFaults faults = SandboxFaults.parse("lock-409", Instant.now(), window);
        Sandbox.Options options = new Sandbox.Options(60, 7, "webhook", faults, SimulatedOrg.MediaSizes.SMALL,
                "lock-storm-token").withLateScreenDelay(Duration.ofSeconds(5));
        // the lock starts once the exporter is up, before the first webhook: a slow start (a busy machine) must not
        // use up the window before any recording is asked for
        AtomicReference<Instant> lockStarts = new AtomicReference<>();
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of(), sandbox -> {
            lockStarts.set(Instant.now());
            sandbox.genesys().withFaults(faults.startingAt(lockStarts.get()));
        });
        Instant lockEnds = lockStarts.get().plus(window);
        int recordings = summary.path("recordings").asInt();
        assertEquals(recordings, summary.path("stored").asInt(), summary.toString());
        assertEquals(0, summary.path("failed").asInt());
        assertEquals(0, summary.path("incidents").asInt(), "a lock is waited out, not reported");

        Map<String, Instant> storedAt = new HashMap<>();
        Map<String, Integer> conflicts = new HashMap<>();
        for (String line : io.recordingexporter.audit.AuditTrail.lines(dir.resolve("audit"))) {
            JsonNode entry = new ObjectMapper().readTree(line);
            String recordingId = entry.path("recordingId").asText();
            if (entry.path("event").asText().equals("DEFERRED")
                    && entry.path("detail").path("failureClass").asText().equals("conflict")) {
                conflicts.merge(recordingId, 1, Integer::sum);
            } else if (entry.path("event").asText().equals("STORED")) {
                storedAt.put(recordingId, Instant.parse(entry.path("ts").asText()));
            }
        }
        assertTrue(conflicts.size() >= 5, "legal-hold recordings met the lock: " + conflicts);
        // the pause at most doubles the time already waited, so the first try after the lock comes within about W
        for (String recordingId : conflicts.keySet()) {
            assertTrue(storedAt.get(recordingId).isBefore(lockEnds.plus(window).plusSeconds(5)),
                    recordingId + " stored at " + storedAt.get(recordingId) + ", lock ended at " + lockEnds);
        }
        double bound = Math.log((double) window.toMillis() / 2000) / Math.log(2) + 2;
        long calls = summary.path("mostGenesysCallsForOneRecording").asLong();
        System.out.println("lock storm: deferrals " + conflicts + ", most Genesys calls for one recording " + calls
                + ", bound " + bound);
        assertTrue(calls <= Math.ceil(bound) + 1, "Genesys calls for one recording: " + calls + ", bound " + bound);
        assertTrue(summary.path("genesysApiCallsByEndpoint")
                .path("GET /api/v2/conversations/{id}/recordingmetadata/{id}").asLong() > 0, "locked recordings were re-read");
    }
}
