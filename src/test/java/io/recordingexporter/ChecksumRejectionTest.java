package io.recordingexporter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S3 refuses a media PUT because its checksum does not match the body (400 BadDigest, as S3 answers a body damaged
 * between fetch and PUT), injected at the HTTP level by a proxy in front of S3Proxy: the write is not taken as
 * stored, it is tried again as a checksum failure, and the recording ends STORED with the right bytes.
 */
class ChecksumRejectionTest {

    @Test
    void aRejectedChecksumIsRetriedAndTheRightBytesEndUpStored() throws Exception {
        WireMockServer s3Proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").preserveHostHeader(true));
        s3Proxy.start();
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(30, 7)) {
            s3Proxy.stubFor(any(anyUrl()).atPriority(10)
                    .willReturn(aResponse().proxiedFrom(environment.properties().get("exporter.s3.endpoint"))));
            s3Proxy.stubFor(put(urlPathMatching(".*/[0-9a-f-]{36}\\.wav")).atPriority(1).inScenario("damaged")
                    .whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/xml")
                            .withBody("<Error><Code>BadDigest</Code><Message>The x-amz-checksum-sha256 you specified did"
                                    + " not match the calculated checksum.</Message></Error>"))
                    .willSetStateTo("once"));
            SimulatedOrg.Conversation call = environment.org().conversations().stream()
                    .filter(c -> !c.legalHold() && c.recordings().size() == 1
                            && c.recordings().get(0).media().equals("audio")).findFirst().orElseThrow();
            SimulatedOrg.Recording recording = call.recordings().get(0);
            environment.startExporter(Map.of("exporter.s3.endpoint", s3Proxy.baseUrl()));
            environment.postWebhook(ExporterTestEnvironment.simpleWebhook(call.id(), false));

            JsonNode custody = environment.awaitCustody(call.id(), ExporterTestEnvironment::allStored, Duration.ofSeconds(60));
            JsonNode item = custody.path("recordings").get(0);
            assertEquals(environment.org().sha256Of(recording.id()), environment.sha256OfObject(item.path("s3Key").asText()),
                    "the bytes stored are the recording's");
            assertEquals(2, s3Proxy.findAll(putRequestedFor(urlPathMatching(".*/" + recording.id() + "\\.wav"))).size(),
                    "one refused PUT, one accepted");
            assertTrue(AuditTrail.lines(environment.dir().resolve("audit")).stream().anyMatch(line ->
                    line.contains(recording.id()) && line.contains("\"failureClass\":\"checksum\"")
                            && (line.contains("\"event\":\"RETRY_SCHEDULED\"") || line.contains("\"event\":\"DEFERRED\""))),
                    "the refusal is audited as a checksum failure");
            assertEquals(1, AuditTrail.lines(environment.dir().resolve("audit")).stream().filter(line ->
                    line.contains(recording.id()) && line.contains("\"event\":\"STORED\"")).count(), "stored once");
        } finally {
            s3Proxy.stop();
        }
    }
}
