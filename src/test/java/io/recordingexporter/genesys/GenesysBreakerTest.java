package io.recordingexporter.genesys;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.recordingexporter.MutableClock;
import io.recordingexporter.resilience.CircuitBreaker.DependencyDownException;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.TcpRelay;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Genesys circuit breaker counts calls that got no answer at all (a network outage, here a cut TCP relay in front
 * of WireMock): after five in a row, calls fail at once without a connection attempt; after the open period one trial
 * call goes through and, answered, closes it. HTTP errors (a 500) are answers and never open it.
 */
class GenesysBreakerTest {

    private static final String CONVERSATION = "0b0c9e43-5e3f-4d8e-9d5c-1c2a3b4c5d6e";

    private WireMockServer genesys;
    private TcpRelay network;

    @BeforeEach
    void start() throws Exception {
        genesys = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        genesys.start();
        genesys.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\": \"t\", \"expires_in\": 86400}")));
        network = new TcpRelay(Sandbox.freePort(), genesys.port());
    }

    @AfterEach
    void stop() throws Exception {
        network.close();
        genesys.stop();
    }

    @Test
    void opensOnConnectionFailuresOnlyAndClosesOnceGenesysAnswersAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        CircuitBreaker breaker = new CircuitBreaker("genesys", 5, Duration.ofSeconds(15), clock);
        String baseUrl = "http://127.0.0.1:" + network.port();
        GenesysTokenSource tokens = new GenesysTokenSource(baseUrl, "id", "secret", Duration.ofMinutes(5),
                Duration.ofSeconds(2), clock);
        GenesysRecordings recordings = new GenesysRecordings(baseUrl, tokens, new GenesysRateBudget(240, 40, clock),
                breaker, 2000, "WAV", clock);
        tokens.currentToken();

        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).willReturn(aResponse()
                .withStatus(500).withHeader("Content-Type", "application/json").withBody("{\"status\":500}")));
        for (int i = 0; i < 8; i++) {
            assertThrows(com.mypurecloud.sdk.v2.ApiException.class, () -> recordings.conversationDetails(List.of(CONVERSATION)));
        }
        assertTrue(breaker.allowsWork(), "eight 500s are answers: the breaker stays closed");

        network.cut();
        for (int i = 0; i < 5; i++) {
            Exception noAnswer = assertThrows(Exception.class, () -> recordings.conversationDetails(List.of(CONVERSATION)));
            assertFalse(noAnswer instanceof DependencyDownException, "tried: " + noAnswer);
        }
        assertFalse(breaker.allowsWork(), "five calls without an answer open the breaker");
        network.restore();
        genesys.resetRequests();
        DependencyDownException down = assertThrows(DependencyDownException.class,
                () -> recordings.conversationDetails(List.of(CONVERSATION)));
        assertEquals("genesys", down.dependency());
        assertEquals(clock.instant().plusSeconds(15), down.until());
        assertEquals(0, genesys.findAll(getRequestedFor(urlPathEqualTo("/api/v2/analytics/conversations/details"))).size(),
                "while open, no call reaches Genesys");

        clock.advance(Duration.ofSeconds(16));
        genesys.stubFor(get(urlPathEqualTo("/api/v2/analytics/conversations/details")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"conversations\": []}")));
        assertEquals(List.of(), recordings.conversationDetails(List.of(CONVERSATION)), "the trial call goes through");
        assertTrue(breaker.allowsWork(), "answered: closed again");
        assertEquals(1, breaker.timesOpened());
    }
}
