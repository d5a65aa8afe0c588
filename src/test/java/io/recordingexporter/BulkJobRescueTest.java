package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.LedgerStatistics;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /rescues over real HTTP against the simulated Genesys: a finished EXPORT job with 150 failed recordings over two
 * pages has each of them stored once, with the source bulk-job:{jobId} in the ledger and the audit trail, its progress
 * counted, and nothing else queued; rescuing it again queues nothing new. An unknown job, a DELETE job, a job still
 * running, a missing token or a bad body is refused and records nothing.
 */
class BulkJobRescueTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> rescue(ExporterTestEnvironment environment, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(environment.businessUrl() + "/rescues"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> progress(ExporterTestEnvironment environment, String jobId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(environment.businessUrl() + "/rescues/" + jobId))
                .header("Authorization", "Bearer " + ExporterTestEnvironment.READ_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String job(String jobId) {
        return "{\"jobId\": \"" + jobId + "\"}";
    }

    @Test
    void theFailedRecordingsOfAFinishedExportJobAreStoredOnceAndNothingElse() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(200, 31)) {
            // the job failed for one recording of each of 150 conversations; the others of those it exported
            List<SimulatedOrg.Recording> failed = environment.org().conversations().stream()
                    .map(c -> c.recordings().get(c.recordings().size() - 1)).limit(150).toList();
            assertEquals(150, failed.size(), "the org has 150 conversations to fail a recording of");
            int recordingsOfTheirConversations = environment.org().conversations().stream()
                    .filter(c -> failed.stream().anyMatch(r -> r.conversationId().equals(c.id())))
                    .mapToInt(c -> c.recordings().size()).sum();
            String jobId = UUID.randomUUID().toString();
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(jobId, "FULFILLED", "EXPORT",
                    failed));
            environment.startExporter();

            HttpResponse<String> accepted = rescue(environment, job(jobId), ExporterTestEnvironment.TOKEN);
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonNode reply = json.readTree(accepted.body());
            assertEquals(150, reply.path("found").asInt(), accepted.body());
            assertEquals(150, reply.path("queued").asInt(), accepted.body());

            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            JsonNode done = null;
            while (Instant.now().isBefore(deadline)) {
                done = json.readTree(progress(environment, jobId).body());
                if (done.path("stored").asInt() == 150) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(150, done.path("stored").asInt(), "every failed recording stored: " + done);
            assertEquals(150, done.path("found").asInt());
            assertEquals(150, done.path("queued").asInt());
            assertEquals(0, done.path("failed").asInt());
            assertEquals(0, done.path("waiting").asInt());
            assertTrue(recordingsOfTheirConversations > 150, "their conversations have other recordings too");
            LedgerStatistics statistics = new LedgerStatistics(environment.exporterLedger().store());
            assertEquals(150, statistics.counts().recordings(), "nothing but the failed recordings was queued");
            assertEquals(150, statistics.counts().recordings("STORED"));
            for (SimulatedOrg.Recording recording : failed.subList(0, 10)) {
                JsonNode custody = environment.custody(recording.conversationId());
                assertEquals("bulk-job:" + jobId, custody.path("intakeSource").asText(), custody.toString());
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals(environment.org().sha256Of(item.path("recordingId").asText()),
                            item.path("sha256").asText(), "the bytes Genesys holds");
                }
            }
            Set<String> receivedFromTheJob = new HashSet<>();
            for (String line : AuditTrail.lines(environment.dir().resolve("audit"))) {
                JsonNode entry = json.readTree(line);
                if (entry.path("event").asText().equals("RECEIVED")
                        && entry.path("detail").path("intakeSource").asText().equals("bulk-job:" + jobId)) {
                    receivedFromTheJob.add(entry.path("conversationId").asText());
                }
            }
            assertEquals(failed.stream().map(SimulatedOrg.Recording::conversationId).distinct().count(),
                    receivedFromTheJob.size(), "each conversation taken in is on the trail with its source");

            HttpResponse<String> again = rescue(environment, job(jobId), ExporterTestEnvironment.TOKEN);
            assertEquals(202, again.statusCode(), again.body());
            assertEquals(0, json.readTree(again.body()).path("queued").asInt(), "nothing new: " + again.body());
            Thread.sleep(1000);
            assertEquals(150, statistics.counts().recordings(), "a second rescue queues nothing new");
        }
    }

    @Test
    void aJobThatCannotBeRescuedIsRefusedAndNothingIsRecorded() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(10, 3)) {
            List<SimulatedOrg.Recording> some = environment.org().conversations().get(0).recordings();
            String deleteJob = UUID.randomUUID().toString();
            String runningJob = UUID.randomUUID().toString();
            String exportJob = UUID.randomUUID().toString();
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(deleteJob, "FULFILLED", "DELETE",
                    some));
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(runningJob, "PROCESSING",
                    "EXPORT", some));
            environment.genesys().withRecordingJob(new GenesysSimulator.RecordingJob(exportJob, "FULFILLED", "EXPORT",
                    some));
            environment.startExporter();
            String token = ExporterTestEnvironment.TOKEN;
            assertEquals(404, rescue(environment, job(UUID.randomUUID().toString()), token).statusCode(), "unknown");
            HttpResponse<String> delete = rescue(environment, job(deleteJob), token);
            assertEquals(409, delete.statusCode(), delete.body());
            assertTrue(delete.body().contains("DELETE"), delete.body());
            HttpResponse<String> running = rescue(environment, job(runningJob), token);
            assertEquals(409, running.statusCode(), running.body());
            assertTrue(running.body().contains("PROCESSING"), running.body());
            assertEquals(401, rescue(environment, job(exportJob), null).statusCode(), "no token");
            assertEquals(401, rescue(environment, job(exportJob), "wrong").statusCode(), "wrong token");
            assertEquals(400, rescue(environment, "{\"jobId\": \"../jobs\"}", token).statusCode(), "not a job id");
            assertEquals(400, rescue(environment, "{}", token).statusCode(), "no job id");

            for (String jobId : List.of(deleteJob, runningJob, exportJob)) {
                assertEquals(404, progress(environment, jobId).statusCode(), "no rescue recorded for " + jobId);
            }
            assertEquals(0, new LedgerStatistics(environment.exporterLedger().store()).counts().conversations(),
                    "nothing taken in");
        }
    }
}
