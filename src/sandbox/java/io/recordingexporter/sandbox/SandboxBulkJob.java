package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.genesys.GenesysTokenSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code SANDBOX_BULK_JOB=true}: the story users come with. The org's admin ran Genesys's native bulk export over the
 * whole org ({@code POST /api/v2/recording/jobs}, action EXPORT, then PUT to PROCESSING); it finished with the
 * legal-hold and screen recordings failed, as the simulator fails them. The sandbox then asks the exporter to rescue
 * the job ({@code POST /rescues}), the way a user would, and nothing else is taken in.
 */
final class SandboxBulkJob {

    /** The job as it finished, and what the exporter answered to its rescue. */
    record Rescued(String jobId, int totalRecordings, int failedRecordings, int conversations, JsonNode reply) {}

    private static final Duration JOB_DEADLINE = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String genesysUrl;
    private final GenesysTokenSource tokens;

    SandboxBulkJob(String genesysUrl, String clientId, String clientSecret) {
        this.genesysUrl = genesysUrl;
        this.tokens = new GenesysTokenSource(genesysUrl, clientId, clientSecret, Duration.ofMinutes(5),
                Duration.ofSeconds(10), Clock.systemUTC());
    }

    /** Runs the native export of conversations that started in [from, to), then has the exporter rescue it. */
    Rescued exportThenRescue(Instant from, Instant to, URI rescues, String webhookToken) throws Exception {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("action", "EXPORT");
        query.put("actionDate", Instant.now().toString());
        query.put("integrationId", "sandbox-aws-s3-recording-bulk-actions");
        query.put("includeScreenRecordings", true);
        query.put("conversationQuery", Map.of("interval", from + "/" + to));
        String jobId = genesys("POST", "/api/v2/recording/jobs", query).path("id").asText();
        awaitState(jobId, "READY");
        genesys("PUT", "/api/v2/recording/jobs/" + jobId, Map.of("state", "PROCESSING"));
        JsonNode job = awaitState(jobId, "FULFILLED");

        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(rescues).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + webhookToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("jobId", jobId)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("POST /rescues answered " + answer.statusCode() + ": " + answer.body());
        }
        JsonNode reply = json.readTree(answer.body());
        return new Rescued(jobId, job.path("totalRecordings").asInt(), job.path("totalFailedRecordings").asInt(),
                reply.path("conversations").asInt(), reply);
    }

    private JsonNode awaitState(String jobId, String wanted) throws Exception {
        Instant deadline = Instant.now().plus(JOB_DEADLINE);
        while (true) {
            JsonNode job = genesys("GET", "/api/v2/recording/jobs/" + jobId, null);
            if (job.path("state").asText().equals(wanted)) {
                return job;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("bulk job " + jobId + " is still " + job.path("state").asText()
                        + ", not " + wanted);
            }
            Thread.sleep(250);
        }
    }

    private JsonNode genesys(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(genesysUrl + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + tokens.currentToken())
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return json.readTree(answer.body());
    }
}
