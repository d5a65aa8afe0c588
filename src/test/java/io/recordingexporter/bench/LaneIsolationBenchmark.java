package io.recordingexporter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.sandbox.InProcessSandbox;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxFaults;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Lane isolation, measured: the same sandbox org exported twice in one JVM, once healthy and once with every screen
 * recording answering 500 for the whole run; the voice lane's rate (recordings stored per second, from its first item
 * queued to its last stored) must stay within 20 % of the healthy rate. A benchmark, run on demand:
 * {@code mvn -B test -Dtest=LaneIsolationBenchmark -Dexcluded.test.groups=none}; the figures go to
 * {@code target/benchmarks/lane-isolation.json}.
 */
@Tag("benchmark")
class LaneIsolationBenchmark {

    private static JsonNode run(String faults) throws Exception {
        Path dir = Files.createTempDirectory("lane-isolation");
        Sandbox.Options options = new Sandbox.Options(200, 20261123L, "webhook",
                SandboxFaults.parse(faults, Instant.now(), Duration.ofMinutes(10)), SimulatedOrg.MediaSizes.REALISTIC,
                "benchmark-token");
        // the screen items never succeed in this run; the benchmark ends when everything else is stored
        return InProcessSandbox.run(options, dir, Map.of("exporter.lane.screen.deadline-hours", "0",
                "exporter.lane.screen-legal-hold.deadline-hours", "0"));
    }

    private static double voiceRate(JsonNode summary) {
        JsonNode voice = summary.path("lanes").path("voice");
        return voice.path("stored").asDouble() / voice.path("seconds").asDouble();
    }

    @Test
    void voiceKeepsItsRateWhileScreenRecordingsFail() throws Exception {
        JsonNode healthy = run("");
        JsonNode screenFailing = run("screen-500");
        double ratio = voiceRate(screenFailing) / voiceRate(healthy);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("voiceRecordings", healthy.path("lanes").path("voice").path("stored").asInt());
        result.put("voiceRateHealthy", voiceRate(healthy));
        result.put("voiceRateWithScreen500", voiceRate(screenFailing));
        result.put("ratio", ratio);
        result.put("screenStoredWithScreen500", screenFailing.path("lanes").path("screen").path("stored").asInt());
        Files.createDirectories(Path.of("target/benchmarks"));
        new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(Path.of("target/benchmarks/lane-isolation.json").toFile(), result);
        System.out.println("lane isolation: " + result);

        assertEquals(healthy.path("lanes").path("voice").path("stored").asInt(),
                screenFailing.path("lanes").path("voice").path("stored").asInt(), "every voice recording stored");
        assertTrue(ratio >= 0.8, "voice rate with screen failing is " + ratio + " of the healthy rate");
    }
}
