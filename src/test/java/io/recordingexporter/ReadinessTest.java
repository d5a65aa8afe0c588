package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * Readiness says whether the ledger, the bucket and the Genesys login answer; the process keeps running (liveness
 * stays UP). The management port tells anyone who reaches it one line, never details or stack traces: it refuses
 * query parameters such as {@code ?exposureLevel=full&stackTrace=true}, and serves only health and metrics.
 */
class ReadinessTest {

    private static HttpResponse<String> send(ExporterTestEnvironment environment, String method, String path)
            throws Exception {
        String port = environment.properties().get("camel.management.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(ExporterTestEnvironment environment, String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = send(environment, "GET", path);
        assertEquals(expectedStatus, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** Each readiness check's state, asked of the running service itself (the port only says UP or DOWN). */
    private static Map<String, String> readiness(Main exporter) {
        CamelContext context = exporter.getCamelContext();
        Map<String, String> states = new HashMap<>();
        for (HealthCheck.Result result : HealthCheckHelper.invokeReadiness(context, "full")) {
            states.put(result.getCheck().getId(), result.getState().name());
        }
        return states;
    }

    @Test
    void readyOnlyWhenLedgerBucketAndGenesysLoginAnswer() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(1, 3)) {
            Main exporter = environment.startExporter();
            assertEquals("{\"status\":\"UP\"}", get(environment, "/observe/health/ready", 200).replace(" ", ""));
            Map<String, String> ready = readiness(exporter);
            assertEquals("UP", ready.get("ledger"), "ledger reachable: " + ready);
            assertEquals("UP", ready.get("s3-bucket"), "bucket reachable");
            assertEquals("UP", ready.get("genesys-login"), "token obtained");
            environment.stopExporter();

            Map<String, String> wrong = new HashMap<>();
            wrong.put("genesys.client-secret", "not-the-secret");
            wrong.put("exporter.s3.bucket", "no-such-bucket");
            exporter = environment.startExporter(wrong);
            assertEquals("{\"status\":\"DOWN\"}", get(environment, "/observe/health/ready", 503).replace(" ", ""),
                    "one line, naming nothing");
            Map<String, String> notReady = readiness(exporter);
            assertEquals("DOWN", notReady.get("genesys-login"), "rejected credentials keep it not ready");
            assertEquals("DOWN", notReady.get("s3-bucket"), "a missing bucket keeps it not ready");
            assertEquals("UP", notReady.get("ledger"), "the ledger is fine");
            get(environment, "/observe/health/live", 200);

            // what an outsider might ask for instead
            for (String probe : new String[] {"/observe/health/ready?exposureLevel=full",
                "/observe/health/ready?exposureLevel=full&stackTrace=true", "/observe/health?data=true",
                "/observe/metrics?name[]=x"}) {
                String refused = get(environment, probe, 400);
                assertFalse(refused.contains("not-the-secret") || refused.contains("Exception")
                        || refused.contains("s3-bucket"), probe + ": " + refused);
                assertEquals(1, refused.lines().count(), probe + ": one line");
            }
            get(environment, "/observe/info", 404);
            get(environment, "/q/dev", 404);
            assertEquals(405, send(environment, "POST", "/observe/health").statusCode());
            assertTrue(get(environment, "/observe/metrics", 200).contains("exporter_ledger_up"), "metrics still served");
        }
    }
}
