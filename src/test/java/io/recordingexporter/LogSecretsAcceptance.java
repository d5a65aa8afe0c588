package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.sandbox.ReplicaProcess;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxCluster;
import io.recordingexporter.sandbox.SandboxFaults;
import io.recordingexporter.sandbox.SandboxS3;
import io.recordingexporter.sandbox.ScratchFolder;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The service as users run it (the packaged jar in real mode, EXPORTER_LOG_FORMAT=json) exports an org in which some
 * recordings fail for good (so incidents go to ServiceNow with its password), takes good and bad calls: then every log
 * line is one ECS JSON object, lines about a recording name it (conversationId, recordingId, lane, attempt,
 * correlationId), and no secret it was given appears in its logs, its audit trail, its sidecars, the incidents or its
 * replies: the Genesys client secret, the ServiceNow password, the webhook and read tokens, the AWS secret key and the
 * password in the database URL. Run by {@code mvn -B -Pacceptance verify} (CI).
 */
class LogSecretsAcceptance {

    private static final String WEBHOOK_TOKEN = "wh-secret-5a7e2c91";
    private static final String READ_TOKEN = "rd-secret-0c44b7e3";
    private static final String SERVICENOW_PASSWORD = "sn-secret-9e21f6d0";
    private static final String DB_PASSWORD = "pg-secret-31be8a57";
    private static final List<String> SECRETS = List.of(WEBHOOK_TOKEN, READ_TOKEN, SERVICENOW_PASSWORD, DB_PASSWORD,
            Sandbox.CLIENT_SECRET, SandboxS3.SECRET_KEY);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir = Path.of("target", "log-secrets").toAbsolutePath();
    private final List<String> replies = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jsonLogsNameTheRecordingAndNoSecretLeaksAnywhere() throws Exception {
        ScratchFolder.delete(dir);
        Sandbox.Options options = new Sandbox.Options(20, 20261203L, "webhook", SandboxFaults.none(),
                SimulatedOrg.MediaSizes.SMALL, WEBHOOK_TOKEN);
        Path data = dir.resolve("data");
        try (Sandbox sandbox = Sandbox.start(options, data)) {
            // two recordings whose media links point at a host the exporter may not fetch from: they fail for good,
            // and ServiceNow gets an incident
            List<SimulatedOrg.Recording> doomed = sandbox.org().conversations().stream()
                    .flatMap(c -> c.recordings().stream()).limit(2).toList();
            doomed.forEach(recording -> sandbox.genesys().withMediaTrap(recording.id(),
                    io.recordingexporter.sandbox.GenesysSimulator.MediaTrap.OTHER_HOST));
            try (SandboxCluster cluster = SandboxCluster.start(sandbox, data, 1, SandboxCluster.sandboxStorage(sandbox),
                    Map.of("EXPORTER_LOG_FORMAT", "json", "EXPORTER_READ_TOKEN", READ_TOKEN,
                            "SERVICENOW_PASSWORD", SERVICENOW_PASSWORD,
                            "EXPORTER_DB_URL", "${ledgerUrl}?password=" + DB_PASSWORD))) {
                ReplicaProcess replica = cluster.replicas().get(0);
                Instant started = Instant.now();
                cluster.startWebhooks();
                callTheEndpoints(replica, sandbox.org().conversations().get(0).id());
                cluster.awaitIdle(started);
                awaitIncident(sandbox);
                int exit = replica.stop(Duration.ofSeconds(60));
                assertTrue(exit == 0 || exit == 143, "a graceful stop: " + exit);

                checkTheLog(replica.dir().resolve("replica.log"), doomed.get(0).id());
                for (Path file : AuditTrail.files(replica.auditDir())) {
                    assertNoSecret("audit trail " + file.getFileName(), Files.readString(file));
                }
                assertNoSecret("sidecars", sidecars(sandbox));
                assertNoSecret("incidents", sandbox.serviceNow().incidents().toString());
                assertNoSecret("replies", String.join("\n", replies));
            }
        }
    }

    /** Good and bad calls, as callers make them; the replies are kept for the check. */
    private void callTheEndpoints(ReplicaProcess replica, String conversationId) throws Exception {
        String base = replica.webhookUrl().toString().replace("/webhooks/genesys", "");
        String body = "{\"conversationId\": \"" + conversationId + "\"}";
        call(base + "/webhooks/genesys", "Bearer " + WEBHOOK_TOKEN, body);
        call(base + "/webhooks/genesys", "Bearer wrong-" + WEBHOOK_TOKEN, body);
        call(base + "/webhooks/genesys?access_token=" + WEBHOOK_TOKEN, null, body);
        call(base + "/webhooks/genesys", "Bearer " + WEBHOOK_TOKEN, "{\"conversationId\": \"" + WEBHOOK_TOKEN + "\"}");
        call(base + "/conversations/" + conversationId, "Bearer " + READ_TOKEN, null);
        call(base + "/conversations/" + conversationId + "?Authorization=Bearer%20" + READ_TOKEN, null, null);
        call(base + "/exports/" + UUID.randomUUID(), "Bearer " + READ_TOKEN, null);
        call(base + "/exports", "Bearer " + WEBHOOK_TOKEN, "{\"from\": \"yesterday\"}");
    }

    private void call(String url, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(reply.statusCode() < 500, url + " answered " + reply.statusCode() + ": " + reply.body());
        replies.add(reply.statusCode() + " " + reply.headers().map() + " " + reply.body());
    }

    /** Every line one ECS object; the failures of a doomed recording logged with its ids; no secret anywhere. */
    private static void checkTheLog(Path log, String doomedRecordingId) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertNoSecret("log", text);
        int lines = 0;
        boolean namedRecording = false;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
                continue;
            }
            JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line);
            }
            assertTrue(event.has("@timestamp") && event.has("log.level") && event.has("message"), "ECS fields: " + line);
            lines++;
            if (doomedRecordingId.equals(event.path("recordingId").asText())) {
                namedRecording |= !event.path("conversationId").asText().isEmpty()
                        && !event.path("lane").asText().isEmpty() && !event.path("attempt").asText().isEmpty()
                        && !event.path("correlationId").asText().isEmpty();
            }
        }
        assertTrue(lines > 20, "the replica logged: " + lines + " lines");
        assertTrue(namedRecording, "a line about the failing recording names its conversation, lane, attempt and"
                + " correlation id");
    }

    private static void awaitIncident(Sandbox sandbox) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (sandbox.serviceNow().incidents().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertTrue(!sandbox.serviceNow().incidents().isEmpty(), "ServiceNow got the incident");
    }

    private static String sidecars(Sandbox sandbox) {
        StringBuilder all = new StringBuilder();
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(sandbox.s3Endpoint())).forcePathStyle(true)
                .region(Region.EU_WEST_2).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY))).build()) {
            int read = 0;
            for (var object : s3.listObjectsV2Paginator(r -> r.bucket(Sandbox.BUCKET)).contents()) {
                if (object.key().endsWith(".json")) {
                    all.append(s3.getObjectAsBytes(r -> r.bucket(Sandbox.BUCKET).key(object.key())).asUtf8String());
                    read++;
                }
            }
            assertTrue(read > 10, "sidecars and digests read: " + read);
        }
        return all.toString();
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertTrue(!text.contains(secret), where + " contains the secret " + secret.substring(0, 6) + "…");
        }
    }
}
