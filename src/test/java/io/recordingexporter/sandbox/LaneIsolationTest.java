package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Lane isolation, measured end to end: the same sandbox org is exported healthy and then with every screen recording
 * answering 500 for a period. While screen recordings fail, the voice lane must keep within 20 % of its healthy rate;
 * once the period is over, the screen recordings are exported too. A smaller warm-up run goes first so that neither
 * measured run pays for the JVM's warm-up. The figures go to {@code target/benchmarks/lane-isolation.json}.
 */
class LaneIsolationTest {

    private static final int CONVERSATIONS = 200;
    private static final long SEED = 20261123L;

    /** A run's voice recordings: when each was queued in the ledger and when it was stored. */
    private record VoiceTimes(List<Instant> queued, List<Instant> stored) {

        /**
         * Seconds from the first voice recording queued until 90 % of them are stored: the lane's pace without the
         * tail of recordings Genesys was still transcoding (they wait out their own backoff in either run).
         */
        double secondsFor90Percent() {
            List<Instant> sorted = stored.stream().sorted().toList();
            Instant ninetieth = sorted.get(ninetyPercent() - 1);
            Instant first = queued.stream().min(Instant::compareTo).orElseThrow();
            return Duration.between(first, ninetieth).toMillis() / 1000.0;
        }

        int ninetyPercent() {
            return (int) Math.ceil(stored.size() * 0.9);
        }

        double rate() {
            return ninetyPercent() / secondsFor90Percent();
        }
    }

    private record Run(JsonNode summary, VoiceTimes voice, List<Instant> screenStored) {}

    private static Run run(int conversations, String faults, Duration faultWindow) throws Exception {
        Path dir = Files.createTempDirectory("lane-isolation");
        try {
            return run(conversations, faults, faultWindow, dir);
        } finally {
            ScratchFolder.delete(dir);
        }
    }

    private static Run run(int conversations, String faults, Duration faultWindow, Path dir) throws Exception {
        // the poll brings the whole org at once, its details job carrying the legal-hold attribute: the lanes get the
        // same work at the same moment in both runs. (With webhooks the recordings arrive as fast as the attribute
        // reads of the shared budget allow, 4 a second, and sooner when the poll happens to read them first: that
        // measures the budget and the poll's phase, not the lanes.)
        Sandbox.Options options = new Sandbox.Options(conversations, SEED, "poll",
                SandboxFaults.parse(faults, Instant.now(), faultWindow), SimulatedOrg.MediaSizes.REALISTIC,
                "lane-isolation-token").withLateScreenDelay(Duration.ofSeconds(5));
        // failed screen recordings come back within seconds of the fault's end, not after the default hour's backoff
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of("exporter.retry.server.max-delay-ms", "4000"));
        List<Instant> queued = new ArrayList<>();
        List<Instant> stored = new ArrayList<>();
        List<Instant> screenStored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "");
                PreparedStatement select = connection.prepareStatement(
                        "SELECT lane, created_at, stored_at FROM recording_item WHERE state = 'STORED'");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                Instant storedAt = rows.getObject(3, OffsetDateTime.class).toInstant();
                if (rows.getString(1).equals("voice")) {
                    queued.add(rows.getObject(2, OffsetDateTime.class).toInstant());
                    stored.add(storedAt);
                } else if (rows.getString(1).startsWith("screen")) {
                    screenStored.add(storedAt);
                }
            }
        }
        return new Run(summary, new VoiceTimes(queued, stored), screenStored);
    }

    @Test
    void voiceKeepsItsRateWhileScreenRecordingsFailAndScreenCatchesUpAfterwards() throws Exception {
        run(40, "", Duration.ZERO);
        Run healthy = run(CONVERSATIONS, "", Duration.ZERO);
        Duration window = Duration.ofSeconds(30);
        Instant faultEnds = Instant.now().plus(window);
        Run screenFailing = run(CONVERSATIONS, "screen-500", window);
        double ratio = screenFailing.voice().rate() / healthy.voice().rate();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("voiceRecordings", healthy.voice().stored().size());
        figures.put("voiceSecondsFor90PercentHealthy", healthy.voice().secondsFor90Percent());
        figures.put("voiceSecondsFor90PercentWithScreen500", screenFailing.voice().secondsFor90Percent());
        figures.put("voiceRateHealthy", healthy.voice().rate());
        figures.put("voiceRateWithScreen500", screenFailing.voice().rate());
        figures.put("ratio", ratio);
        figures.put("screenRecordingsStoredAfterTheFault", screenFailing.screenStored().size());
        Files.createDirectories(Path.of("target/benchmarks"));
        new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValue(Path.of("target/benchmarks/lane-isolation.json").toFile(), figures);
        System.out.println("lane isolation: " + figures);

        JsonNode summary = screenFailing.summary();
        int recordings = summary.path("recordings").asInt();
        assertEquals(recordings, summary.path("stored").asInt(), "every recording stored, screen ones included");
        assertEquals(0, summary.path("failed").asInt(), summary.toString());
        assertEquals(recordings, summary.path("verification").path("verified").asInt());
        assertTrue(ratio >= 0.8, "voice rate while screen recordings fail is " + ratio + " of the healthy rate: " + figures);
        assertTrue(screenFailing.screenStored().size() > 10, "the org has screen recordings: " + figures);
        assertTrue(screenFailing.screenStored().stream().allMatch(at -> at.isAfter(faultEnds.minusSeconds(1))),
                "no screen recording was stored while they answered 500");
    }
}
