package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness says which dependency is missing; the process keeps running (liveness stays UP). */
class ReadinessTest {

    private static JsonNode get(ExporterTestEnvironment environment, String path, int expectedStatus) throws Exception {
        String port = environment.properties().get("camel.management.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), path + ": " + response.body());
        return environment.readJson(response.body().getBytes());
    }

    private static Map<String, String> checks(JsonNode health) {
        Map<String, String> status = new HashMap<>();
        health.path("checks").forEach(check -> status.put(check.path("name").asText(), check.path("status").asText()));
        return status;
    }

    @Test
    void readyOnlyWhenLedgerBucketAndGenesysLoginAnswer() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(1, 3)) {
            environment.startExporter();
            Map<String, String> ready = checks(get(environment, "/observe/health/ready?exposureLevel=full", 200));
            assertEquals("UP", ready.get("ledger"), "ledger reachable");
            assertEquals("UP", ready.get("s3-bucket"), "bucket reachable");
            assertEquals("UP", ready.get("genesys-login"), "token obtained");
            environment.stopExporter();

            Map<String, String> wrong = new HashMap<>();
            wrong.put("genesys.client-secret", "not-the-secret");
            wrong.put("exporter.s3.bucket", "no-such-bucket");
            environment.startExporter(wrong);
            Map<String, String> notReady = checks(get(environment, "/observe/health/ready?exposureLevel=full", 503));
            assertEquals("DOWN", notReady.get("genesys-login"), "rejected credentials keep it not ready");
            assertEquals("DOWN", notReady.get("s3-bucket"), "a missing bucket keeps it not ready");
            assertEquals("UP", notReady.get("ledger"), "the ledger is fine");
            assertFalse(get(environment, "/observe/health/ready?exposureLevel=full", 503).toString().contains("not-the-secret"),
                    "the secret is not in the health report");
            get(environment, "/observe/health/live", 200);
        }
    }
}
