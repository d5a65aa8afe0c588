package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a sandbox run, with recordings deferred (legal-hold items locked by 409s) and in
 * flight, then a restart on the same data: every recording stored, none lost, none written twice.
 */
class CrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();


    /** The sandbox in its own JVM, working in {@code dir} (so ./data is there), as a user runs it. */
    private static Process sandbox(Path dir, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordingExporter.class.getName(), "--sandbox",
                "--exit-when-idle");
        Map<String, String> env = builder.environment();
        env.put("SANDBOX_CONVERSATIONS", "80");
        // late screen recordings within seconds, looked for again within seconds
        env.put("SANDBOX_LATE_SCREEN_SECONDS", "5");
        env.put("EXPORTER_RELIST_MISSING_SECONDS", "2");
        env.put("SANDBOX_FAULTS", "lock-409,slow");
        env.put("SANDBOX_FAULT_WINDOW_SECONDS", "25");
        env.put("EXPORTER_HTTP_PORT", Integer.toString(Sandbox.freePort()));
        env.put("EXPORTER_MANAGEMENT_PORT", Integer.toString(Sandbox.freePort()));
        env.put("EXPORTER_RETRY_BASE_DELAY_MS", "1000");
        return builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    @Test
    void killNineWithDeferredAndInFlightWorkThenRestartStoresEverythingOnce(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("sandbox.log");
        Process first = sandbox(dir, log);
        try {
            crashThenRestart(dir, log, first);
        } finally {
            first.destroyForcibly().waitFor();
        }
    }

    private void crashThenRestart(Path dir, Path log, Process first) throws Exception {
        Path audit = dir.resolve("data/audit");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        // wait until some recordings are stored and some are deferred behind a lock
        while (true) {
            assertTrue(first.isAlive(), "the first run is still running: " + Files.readString(log));
            assertTrue(Instant.now().isBefore(deadline), "no deferred and stored work to crash in");
            if (Files.isDirectory(audit)) {
                List<String> lines = io.recordingexporter.audit.AuditTrail.lines(audit);
                long stored = lines.stream().filter(l -> l.contains("\"event\":\"STORED\"")).count();
                long deferred = lines.stream().filter(l -> l.contains("\"event\":\"DEFERRED\"")).count();
                if (stored >= 10 && deferred >= 2) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful stop
        assertTrue(first.waitFor(20, TimeUnit.SECONDS));

        Process second = sandbox(dir, log);
        try {
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), "the restart drains the backlog and exits");
        } finally {
            second.destroyForcibly().waitFor();
        }
        assertEquals(0, second.exitValue(), Files.readString(log));

        JsonNode summary = JSON.readTree(dir.resolve("data/sandbox-summary.json").toFile());
        int recordings = summary.path("recordings").asInt();
        assertEquals(recordings, summary.path("stored").asInt(), summary.toString());
        assertEquals(0, summary.path("failed").asInt());
        assertEquals(recordings, summary.path("verification").path("verified").asInt(), summary.toString());
        // the sandbox's console shows its progress; the service's own log is data/sandbox.log (the restart's)
        assertTrue(Files.readString(dir.resolve("data/sandbox.log")).contains("Resuming"),
                "the restart took back the work the killed run held");

        // written once: each recording has one STORED entry that wrote it (a rewrite after the crash adopts it)
        Map<String, Integer> writes = new HashMap<>();
        for (String line : io.recordingexporter.audit.AuditTrail.lines(audit)) {
            JsonNode entry = JSON.readTree(line);
            if (entry.path("event").asText().equals("STORED") && !entry.path("detail").path("adopted").asBoolean()) {
                writes.merge(entry.path("recordingId").asText(), 1, Integer::sum);
            }
        }
        assertTrue(writes.values().stream().allMatch(count -> count == 1), "one write per recording: " + writes);
        try (Stream<Path> objects = Files.walk(dir.resolve("data/s3"))) {
            long media = objects.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("[0-9a-f-]{36}\\.[a-z0-9]+")).count();
            assertEquals(recordings, media, "one media object per recording in the bucket");
        }
    }
}
