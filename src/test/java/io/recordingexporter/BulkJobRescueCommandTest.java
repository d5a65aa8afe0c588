package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.audit.AuditVerifier;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.LedgerStatistics;
import io.recordingexporter.sandbox.SimulatedOrg;
import io.recordingexporter.settings.ExporterSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code rescue-bulk-job} against the simulated Genesys and the service's own ledger and audit folder: {@code --dry-run}
 * prints every failed recording and opens neither; a refused job queues nothing; the rescue records each failed
 * recording once (a second run queues nothing new), the service then exports them, the trail stays one intact chain,
 * and beside a running service the command refuses and points at POST /rescues.
 */
class BulkJobRescueCommandTest {

    private record Ran(int exitCode, String out, String err) {}

    private static Ran run(ExporterSettings settings, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulkJobRescueCommand.run(List.of(args), settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dryRunPrintsTheRecordingsThenTheRescueQueuesThemOnceForTheServiceToExport() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(30, 41)) {
            List<SimulatedOrg.Recording> failed = environment.org().conversations().stream()
                    .map(c -> c.recordings().get(c.recordings().size() - 1)).limit(12).toList();
            String jobId = UUID.randomUUID().toString();
            String runningJob = UUID.randomUUID().toString();
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(jobId, "FULFILLED", "EXPORT",
                    failed));
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(runningJob, "PENDING", "EXPORT",
                    failed));
            ExporterSettings settings = environment.settings();

            Ran dryRun = run(settings, "--job", jobId, "--dry-run");
            assertEquals(0, dryRun.exitCode(), dryRun.err());
            for (SimulatedOrg.Recording recording : failed) {
                assertTrue(dryRun.out().contains("conversation " + recording.conversationId() + " recording "
                        + recording.id()), "listed: " + recording.id() + " in " + dryRun.out());
            }
            assertTrue(dryRun.out().contains("12 failed recording(s) in 12 conversation(s) would be queued"),
                    dryRun.out());
            assertFalse(Files.exists(environment.dir().resolve("ledger.mv.db")), "a dry run opens no ledger");
            assertFalse(Files.exists(environment.dir().resolve("audit")), "a dry run writes no trail");

            Ran unknown = run(settings, "--job", UUID.randomUUID().toString());
            assertEquals(2, unknown.exitCode());
            assertTrue(unknown.err().contains("knows no recording bulk job"), unknown.err());
            Ran running = run(settings, "--job", runningJob);
            assertEquals(2, running.exitCode());
            assertTrue(running.err().contains("PENDING"), running.err());
            assertEquals(2, run(settings, "--job", "../jobs").exitCode(), "not a job id");
            assertEquals(2, run(settings, "--dry-run").exitCode(), "no job");

            Ran rescued = run(settings, "--job", jobId);
            assertEquals(0, rescued.exitCode(), rescued.err());
            assertTrue(rescued.out().contains("\"queued\":12"), rescued.out());
            Ran again = run(settings, "--job", jobId);
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.out().contains("\"queued\":0"), "nothing new: " + again.out());

            environment.startExporter();
            LedgerStatistics statistics = new LedgerStatistics(environment.exporterLedger().store());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (statistics.counts().recordings("STORED") < 12 && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertEquals(12, statistics.counts().recordings("STORED"), "the service exported what the command queued");
            assertEquals(12, statistics.counts().recordings(), "and nothing else");
            for (SimulatedOrg.Recording recording : failed) {
                JsonNode custody = environment.custody(recording.conversationId());
                assertEquals("bulk-job:" + jobId, custody.path("intakeSource").asText(), custody.toString());
            }

            Ran beside = run(settings, "--job", jobId);
            assertEquals(2, beside.exitCode(), "refused beside the running service");
            assertTrue(beside.err().contains("POST /rescues"), beside.err());

            environment.stopExporter();
            ObjectMapper json = new ObjectMapper();
            Set<String> received = new HashSet<>();
            for (String line : AuditTrail.lines(environment.dir().resolve("audit"))) {
                JsonNode entry = json.readTree(line);
                if (entry.path("event").asText().equals("RECEIVED")
                        && entry.path("detail").path("intakeSource").asText().equals("bulk-job:" + jobId)) {
                    received.add(entry.path("conversationId").asText());
                }
            }
            assertEquals(12, received.size(), "each conversation the command took in is on the trail");
            AuditVerifier.Verdict verdict = AuditVerifier.verify(environment.dir().resolve("audit"), List.of());
            assertTrue(verdict.intact(), "the command's entries and the service's are one chain: " + verdict);
        }
    }
}
