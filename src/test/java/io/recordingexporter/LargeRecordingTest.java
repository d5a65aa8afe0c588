package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB screen recording exported by the sandbox in a JVM whose heap is capped at 256 MiB: the media is
 * streamed to the spool while hashed, sent to S3 in parts read from disk, and read back for verification, never held
 * in memory. The simulated Genesys org and the S3 server share that heap.
 */
class LargeRecordingTest {

    private static final long TWO_GIB = 2048L * 1024 * 1024;

    @Test
    void aTwoGibScreenRecordingIsExportedWithA256MibHeap(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("sandbox.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                RecordingExporter.class.getName(), "--sandbox", "--exit-when-idle");
        Map<String, String> env = builder.environment();
        env.put("SANDBOX_CONVERSATIONS", "12");
        // late screen recordings within seconds, looked for again within seconds
        env.put("SANDBOX_LATE_SCREEN_SECONDS", "5");
        env.put("EXPORTER_RELIST_MISSING_SECONDS", "2");
        env.put("SANDBOX_LARGE_SCREEN_MIB", "2048");
        // over the threshold: the 2 GiB goes up in parts, each read back from the spool to be hashed
        env.put("EXPORTER_S3_MULTIPART_THRESHOLD_MIB", "100");
        env.put("EXPORTER_HTTP_PORT", Integer.toString(Sandbox.freePort()));
        env.put("EXPORTER_MANAGEMENT_PORT", Integer.toString(Sandbox.freePort()));
        Process sandbox = builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        try {
            assertTrue(sandbox.waitFor(600, TimeUnit.SECONDS), "the sandbox finished within 10 minutes");
        } finally {
            sandbox.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertEquals(0, sandbox.exitValue(), output.substring(Math.max(0, output.length() - 4000)));
        assertTrue(!output.contains("OutOfMemoryError"), "no OutOfMemoryError");

        JsonNode summary = new ObjectMapper().readTree(dir.resolve("data/sandbox-summary.json").toFile());
        int recordings = summary.path("recordings").asInt();
        assertEquals(recordings, summary.path("stored").asInt(), summary.toString());
        assertEquals(recordings, summary.path("verification").path("verified").asInt(),
                "every object read back from S3 hashes to the simulator's media: " + summary);
        try (Stream<Path> objects = Files.walk(dir.resolve("data/s3"))) {
            assertEquals(1, objects.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".webm"))
                    .filter(p -> p.toFile().length() == TWO_GIB).count(), "the 2 GiB object is in the bucket");
        }
        long screenBytes = summary.path("lanes").path("screen").path("bytes").asLong()
                + summary.path("lanes").path("screen-legal-hold").path("bytes").asLong();
        assertTrue(screenBytes >= TWO_GIB, summary.toString());
    }
}
