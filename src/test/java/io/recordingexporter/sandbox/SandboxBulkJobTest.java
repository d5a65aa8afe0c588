package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.verification.ExportVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code SANDBOX_BULK_JOB=true}: the sandbox runs the org's native bulk export through the simulator's recording jobs
 * (submitted, run, finished with the legal-hold and screen recordings failed), has the exporter rescue it, and
 * reports the rescue: exactly the failed recordings are stored and verified, nothing else is taken in. The run is in
 * {@code EXPORTER_S3_KEY_LAYOUT=genesys-bulk} with no prefix, so the rescued recordings land where Genesys's own bulk
 * export writes ({organizationId}/year=/month=/day=/hour=/conversation_id=/), beside the job's own, and the
 * verifiers pass on that layout.
 */
class SandboxBulkJobTest {

    @Test
    void theSandboxRescuesItsOrgsFailedBulkJobAndReportsIt(@TempDir Path dir) throws Exception {
        Sandbox.Options options = new Sandbox.Options(30, 20261202L, Sandbox.BULK_JOB, SandboxFaults.none(),
                SimulatedOrg.MediaSizes.SMALL, "bulk-job-token").withLateScreenDelay(Duration.ofSeconds(2));
        AtomicReference<SimulatedOrg> simulated = new AtomicReference<>();
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of("exporter.s3.key-layout", "genesys-bulk",
                "exporter.s3.prefix", ""), sandbox -> simulated.set(sandbox.org()));

        SimulatedOrg org = simulated.get();
        long failed = org.conversations().stream().mapToLong(c -> c.recordings().stream()
                .filter(r -> GenesysSimulator.failsInNativeExport(c, r)).count()).sum();
        assertTrue(failed > 0 && failed < org.recordingCount(), "the job fails for some recordings: " + failed);

        JsonNode job = summary.path("bulkJob");
        assertEquals(org.recordingCount(), job.path("recordings").asLong(), summary.toString());
        assertEquals(failed, job.path("failedRecordings").asLong(), summary.toString());
        JsonNode rescue = job.path("rescue");
        assertEquals(failed, rescue.path("found").asLong(), rescue.toString());
        assertEquals(failed, rescue.path("queued").asLong(), rescue.toString());
        assertEquals(failed, rescue.path("stored").asLong(), rescue.toString());
        assertEquals(0, rescue.path("failed").asLong(), rescue.toString());
        assertEquals(0, rescue.path("waiting").asLong(), rescue.toString());
        assertEquals(failed, summary.path("recordings").asLong(), "the run was to export the job's failures");
        assertEquals(failed, summary.path("stored").asLong(), "and stored those alone: " + summary);
        assertEquals(failed, summary.path("verification").path("verified").asLong(), summary.toString());
        assertEquals(0, summary.path("verification").path("missing").asLong(), summary.toString());
        assertEquals(failed, summary.path("verification").path("legalHoldMatched").asLong(), summary.toString());
        assertTrue(summary.path("lanes").path("screen").path("stored").asLong()
                + summary.path("lanes").path("screen-legal-hold").path("stored").asLong() > 0, "screens among them");
        assertEquals(Sandbox.BULK_JOB, summary.path("intake").asText());

        java.util.regex.Pattern bulkLayout = java.util.regex.Pattern.compile(SimulatedParts.ORGANIZATION_ID
                + "/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/conversation_id=[0-9a-f-]{36}/"
                + "[0-9a-f-]{36}(\\.[a-z0-9]+|_metadata\\.json)");
        Path bucket = dir.resolve("s3").resolve(Sandbox.BUCKET);
        List<String> keys;
        try (Stream<Path> files = Files.walk(bucket)) {
            keys = files.filter(Files::isRegularFile).map(p -> bucket.relativize(p).toString().replace('\\', '/'))
                    .filter(key -> !key.startsWith("_audit/")).toList();
        }
        assertEquals(2 * failed, keys.size(), "a media object and a sidecar per rescued recording: " + keys);
        for (String key : keys) {
            assertTrue(bulkLayout.matcher(key).matches(), key);
        }
        try (SandboxS3 server = SandboxS3.start(dir.resolve("s3"), Sandbox.BUCKET, Sandbox.freePort());
                S3Client s3 = ExportVerifierTest.clientOf(server);
                Connection ledger = ExportVerifierTest.ledgerOf(dir)) {
            ExportVerifier.Report report = new ExportVerifier(ledger, s3, Sandbox.BUCKET, dir.resolve("audit"), false)
                    .between(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2100-01-01T00:00:00Z"));
            assertEquals(failed, report.recordingsChecked());
            assertTrue(report.clean(), report.findings().toString());
        }
    }
}
