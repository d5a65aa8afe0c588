package io.recordingexporter;

import static io.recordingexporter.ExporterTestEnvironment.simpleWebhook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SimulatedOrg;
import io.recordingexporter.sandbox.TcpRelay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S3 out of reach when the service starts, and again when a late hold's sidecar is first rewritten (the first use of
 * the aws2-s3 endpoint that reads sidecars, which looks at the bucket when it starts): the service starts anyway, is
 * alive, takes webhooks, exports once S3 answers, and the sidecar rewrite that met the outage is done at a later run.
 */
class S3OutageAtStartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void theServiceStartsWithoutS3AndCatchesUpOnceS3Answers() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(3, 11);
                TcpRelay s3 = new TcpRelay(Sandbox.freePort(), URI.create(environment.properties()
                        .get("exporter.s3.endpoint")).getPort())) {
            SimulatedOrg.Conversation conversation = environment.org().conversations().stream()
                    .filter(c -> !c.legalHold()).findFirst().orElseThrow();
            s3.cut();
            environment.startExporter(Map.of("exporter.s3.endpoint", "http://127.0.0.1:" + s3.port(),
                    "genesys.legal-hold.recheck-interval-seconds", "1", "genesys.legal-hold.refresh-seconds", "0",
                    "exporter.s3.object-lock.hold-interval-ms", "300"));
            HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + environment.properties().get("camel.management.port")
                            + "/observe/health/live")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode(), "alive without S3: " + live.body());
            assertEquals(202, environment.postWebhook(simpleWebhook(conversation.id(), false)).statusCode(),
                    "webhooks are taken while S3 is out of reach");

            s3.restore();
            JsonNode stored = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored, TIMEOUT);
            assertFalse(stored.path("legalHold").asBoolean());
            String mediaKey = stored.path("recordings").get(0).path("s3Key").asText();
            String recordingId = stored.path("recordings").get(0).path("recordingId").asText();
            String sidecarKey = mediaKey.substring(0, mediaKey.lastIndexOf('/') + 1) + recordingId + "_metadata.json";

            // S3 goes again, and the conversation comes under hold: its sidecar cannot be read for the rewrite yet
            s3.cut();
            protect(environment, conversation.id());
            environment.awaitCustody(conversation.id(), c -> c.path("legalHold").asBoolean(), TIMEOUT);
            Thread.sleep(2000);
            assertFalse(sidecar(environment, sidecarKey).path("custody").path("legalHold").asBoolean(),
                    "not rewritten while S3 is out of reach");

            s3.restore();
            Instant deadline = Instant.now().plus(TIMEOUT);
            JsonNode sidecar = sidecar(environment, sidecarKey);
            while (!sidecar.path("custody").path("legalHold").asBoolean() && Instant.now().isBefore(deadline)) {
                Thread.sleep(300);
                sidecar = sidecar(environment, sidecarKey);
            }
            assertEquals("deletion-protection", sidecar.path("custody").path("legalHoldSource").asText(),
                    "the rewrite that met the outage was done at a later run: " + sidecar);
        }
    }

    private static JsonNode sidecar(ExporterTestEnvironment environment, String key) throws Exception {
        return environment.readJson(environment.object(key));
    }

    /** A Genesys admin protects the conversation from deletion, through the API. */
    private static void protect(ExporterTestEnvironment environment, String conversationId) throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                environment.genesys().baseUrl() + "/api/v2/recordings/deletionprotection?protect=true"))
                .header("Authorization", "Bearer " + environment.genesys().issueToken())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"conversationIds\": [\"" + conversationId + "\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, put.statusCode(), put.body());
    }
}
