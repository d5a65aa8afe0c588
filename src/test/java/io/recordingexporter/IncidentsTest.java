package io.recordingexporter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dead letter: permanent failures become FAILED at once and raise exactly one ServiceNow incident per correlation
 * id (WireMock speaking the Table API), also when ServiceNow was down while they failed.
 */
class IncidentsTest {

    private static final String TABLE = "/api/now/table/incident";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private WireMockServer serviceNow;

    @BeforeEach
    void start() {
        serviceNow = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        serviceNow.start();
    }

    @AfterEach
    void stop() {
        serviceNow.stop();
    }

    /** No active incident until one is posted; then the lookup finds it and work notes go to it. */
    private void serviceNowUp() {
        serviceNowUp("Basic b3BzOnNlY3JldA==");
    }

    private void serviceNowUp(String authorization) {
        serviceNow.resetAll();
        serviceNow.stubFor(get(urlPathEqualTo(TABLE)).inScenario("incident").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"result\": []}")));
        serviceNow.stubFor(post(urlEqualTo(TABLE)).inScenario("incident")
                .withHeader("Authorization", equalTo(authorization))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\": {\"sys_id\": \"5c1e\", \"number\": \"INC0010001\"}}"))
                .willSetStateTo("open"));
        serviceNow.stubFor(get(urlPathEqualTo(TABLE)).inScenario("incident").whenScenarioStateIs("open")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"result\": [{\"sys_id\": \"5c1e\", \"number\": \"INC0010001\"}]}")));
        serviceNow.stubFor(patch(urlEqualTo(TABLE + "/5c1e")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"result\": {\"sys_id\": \"5c1e\", \"number\": \"INC0010001\"}}")));
    }

    private Map<String, String> settings() {
        return Map.of("servicenow.instance-url", serviceNow.baseUrl(), "servicenow.username", "ops",
                "servicenow.password", "secret", "servicenow.poll-interval-ms", "200",
                "servicenow.retry.base-delay-ms", "200", "servicenow.retry.max-delay-ms", "1000",
                // lanes look 3 s after start: time to delete recordings the expansion has listed
                "exporter.lane.poll-interval-ms", "3000");
    }

    /** Three voice calls without hold; one audio recording of each is deleted after expansion. */
    private List<SimulatedOrg.Recording> deleteOneRecordingOfThreeCalls(ExporterTestEnvironment environment)
            throws Exception {
        List<SimulatedOrg.Conversation> calls = environment.org().conversations().stream()
                .filter(c -> !c.legalHold() && c.recordings().stream().allMatch(r -> r.media().equals("audio")))
                .limit(3).toList();
        assertEquals(3, calls.size(), "the seed has three voice-only calls without hold");
        for (SimulatedOrg.Conversation call : calls) {
            assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(call.id(), false)).statusCode());
        }
        for (SimulatedOrg.Conversation call : calls) {
            environment.awaitCustody(call.id(), c -> "EXPANDED".equals(c.path("state").asText()), TIMEOUT);
        }
        List<SimulatedOrg.Recording> deleted = calls.stream().map(c -> c.recordings().get(0)).toList();
        deleted.forEach(recording -> environment.genesys().deleteRecording(recording.id()));
        return deleted;
    }

    private static JsonNode item(JsonNode custody, String recordingId) {
        for (JsonNode item : custody.path("recordings")) {
            if (item.path("recordingId").asText().equals(recordingId)) {
                return item;
            }
        }
        throw new AssertionError("no item " + recordingId + " in " + custody);
    }

    private void awaitAllFailed(ExporterTestEnvironment environment, List<SimulatedOrg.Recording> deleted) throws Exception {
        for (SimulatedOrg.Recording recording : deleted) {
            JsonNode custody = environment.awaitCustody(recording.conversationId(),
                    c -> "FAILED".equals(item(c, recording.id()).path("state").asText()), TIMEOUT);
            assertTrue(item(custody, recording.id()).path("lastError").asText().contains("404"),
                    item(custody, recording.id()).toString());
        }
    }

    private void awaitDelivered(ExporterTestEnvironment environment, long count) throws Exception {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (environment.exporterLedger().incidents().incidentOutboxCounts().getOrDefault("DELIVERED", 0L) < count) {
            assertTrue(Instant.now().isBefore(deadline), "outbox: " + environment.exporterLedger().incidents().incidentOutboxCounts());
            Thread.sleep(100);
        }
    }

    /** Every deleted recording is named in the one incident or in a work note on it. */
    private void assertOneIncidentNamingAll(List<SimulatedOrg.Recording> deleted) {
        List<LoggedRequest> posts = serviceNow.findAll(postRequestedFor(urlEqualTo(TABLE)));
        assertEquals(1, posts.size(), "exactly one incident");
        assertTrue(posts.get(0).getBodyAsString().contains("\"correlation_id\":\"recording-exporter:voice:permanent\""),
                posts.get(0).getBodyAsString());
        String told = posts.get(0).getBodyAsString() + serviceNow.findAll(patchRequestedFor(urlEqualTo(TABLE + "/5c1e")))
                .stream().map(LoggedRequest::getBodyAsString).collect(Collectors.joining());
        for (SimulatedOrg.Recording recording : deleted) {
            assertTrue(told.contains(recording.id()), "ServiceNow was told about " + recording.id());
        }
    }

    @Test
    void permanentFailuresAreNotRetriedAndRaiseOneIncident() throws Exception {
        serviceNowUp();
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 7)) {
            environment.startExporter(settings());
            List<SimulatedOrg.Recording> deleted = deleteOneRecordingOfThreeCalls(environment);
            awaitAllFailed(environment, deleted);
            awaitDelivered(environment, 3);
            assertOneIncidentNamingAll(deleted);

            // the 404 came from the per-recording call, once per recording: no retry after a permanent failure
            Thread.sleep(1500);
            assertEquals(3L, environment.genesys().callsByEndpoint()
                    .get("GET /api/v2/conversations/{id}/recordings/{id}"), "one per-recording call each");
            String trail = String.join("\n", io.recordingexporter.audit.AuditTrail.lines(environment.dir().resolve("audit")));
            for (SimulatedOrg.Recording recording : deleted) {
                assertTrue(trail.lines().anyMatch(line -> line.contains("\"event\":\"FAILED\"")
                        && line.contains(recording.id()) && line.contains("\"failureClass\":\"permanent\"")),
                        "FAILED audited for " + recording.id());
            }
        }
    }

    @Test
    void incidentsWaitWhileServiceNowIsDownAndAreRaisedOnceWhenItReturns() throws Exception {
        serviceNow.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 7)) {
            environment.startExporter(settings());
            List<SimulatedOrg.Recording> deleted = deleteOneRecordingOfThreeCalls(environment);
            awaitAllFailed(environment, deleted);
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (serviceNow.findAll(anyRequestedFor(anyUrl())).size() < 3) {
                assertTrue(Instant.now().isBefore(deadline), "the exporter kept trying ServiceNow");
                Thread.sleep(100);
            }
            assertEquals(0L, environment.exporterLedger().incidents().incidentOutboxCounts().getOrDefault("DELIVERED", 0L));

            serviceNowUp();
            awaitDelivered(environment, 3);
            assertOneIncidentNamingAll(deleted);
        }
    }

    @Test
    void incidentsAreRaisedWithOAuthAndARefusedTokenIsRenewed() throws Exception {
        serviceNowUp("Bearer tok-2");
        serviceNow.stubFor(post(urlEqualTo("/oauth_token.do")).inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("grant_type=password")).withRequestBody(containing("client_id=exporter-app"))
                .withRequestBody(containing("client_secret=app-secret")).withRequestBody(containing("username=ops"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"tok-1\", \"token_type\": \"Bearer\", \"expires_in\": 1799}"))
                .willSetStateTo("second"));
        serviceNow.stubFor(post(urlEqualTo("/oauth_token.do")).inScenario("login").whenScenarioStateIs("second")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"tok-2\", \"token_type\": \"Bearer\", \"expires_in\": 1799}")));
        // the first token is revoked before it is used: the lookup answers 401
        serviceNow.stubFor(get(urlPathEqualTo(TABLE)).atPriority(1).withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"User Not Authenticated\"}}")));
        Map<String, String> settings = new java.util.HashMap<>(settings());
        settings.put("servicenow.client-id", "exporter-app");
        settings.put("servicenow.client-secret", "app-secret");
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(40, 7)) {
            environment.startExporter(settings);
            List<SimulatedOrg.Recording> deleted = deleteOneRecordingOfThreeCalls(environment);
            awaitAllFailed(environment, deleted);
            awaitDelivered(environment, 3);
            assertOneIncidentNamingAll(deleted);
            assertEquals(2, serviceNow.findAll(postRequestedFor(urlEqualTo("/oauth_token.do"))).size(),
                    "one login, one more after the 401, then the token is reused");
            assertTrue(serviceNow.findAll(anyRequestedFor(anyUrl())).stream().noneMatch(request ->
                    request.containsHeader("Authorization") && request.getHeader("Authorization").startsWith("Basic")
                            || request.getUrl().contains("secret")), "no Basic header, no secret in a URL");
        }
    }
}
