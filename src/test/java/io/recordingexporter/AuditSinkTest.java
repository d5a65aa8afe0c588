package io.recordingexporter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The external audit sink (WireMock): down at first, then up. Once it is up, it has received every entry of the trail
 * exactly once among the batches it accepted, in the trail's order, with the configured bearer token.
 */
class AuditSinkTest {

    @Test
    void aSinkThatWasDownGetsTheWholeTrailInOrderOnceItIsUp() throws Exception {
        WireMockServer sink = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sink.start();
        sink.stubFor(post(urlEqualTo("/audit")).willReturn(aResponse().withStatus(503)));
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(10, 7)) {
            environment.startExporter(Map.of("exporter.audit.http.url", sink.baseUrl() + "/audit",
                    "exporter.audit.http.token", "sink-token", "exporter.audit.http.batch-size", "7",
                    "exporter.audit.http.interval-ms", "200"));
            for (SimulatedOrg.Conversation conversation : environment.org().conversations().subList(0, 4)) {
                environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(), false));
                environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored, Duration.ofSeconds(60));
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (sink.findAll(postRequestedFor(urlEqualTo("/audit"))).size() < 3) {
                assertTrue(Instant.now().isBefore(deadline), "the exporter kept trying the sink");
                Thread.sleep(100);
            }

            sink.resetAll();
            sink.stubFor(post(urlEqualTo("/audit")).withHeader("Authorization", equalTo("Bearer sink-token"))
                    .willReturn(aResponse().withStatus(202)));
            Path trail = environment.dir().resolve("audit");
            deadline = Instant.now().plusSeconds(30);
            while (true) {
                String received = String.join("", sink.findAll(postRequestedFor(urlEqualTo("/audit"))).stream()
                        .map(LoggedRequest::getBodyAsString).toList());
                StringBuilder written = new StringBuilder();
                for (String line : io.recordingexporter.audit.AuditTrail.lines(trail)) {
                    written.append(line).append('\n');
                }
                if (received.contentEquals(written) && written.length() > 0) {
                    break;
                }
                assertTrue(Instant.now().isBefore(deadline), "the sink has all of the trail, in order, once: received "
                        + received.lines().count() + " lines of " + written.toString().lines().count());
                Thread.sleep(100);
            }
            List<LoggedRequest> batches = sink.findAll(postRequestedFor(urlEqualTo("/audit")));
            assertTrue(batches.size() > 1, "in batches of at most 7");
            assertTrue(batches.stream().allMatch(b -> b.getBodyAsString().lines().count() <= 7));
            assertEquals("application/x-ndjson", batches.get(0).getHeader("Content-Type"));
        } finally {
            sink.stop();
        }
    }
}
