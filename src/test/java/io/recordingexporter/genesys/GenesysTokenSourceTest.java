package io.recordingexporter.genesys;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.recordingexporter.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-credentials token against a login host on loopback (WireMock). */
class GenesysTokenSourceTest {

    private WireMockServer login;
    private MutableClock clock;

    @BeforeEach
    void start() {
        login = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        login.start();
        clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        login.stubFor(post(urlEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Authorization", equalTo("Basic aWQ6c2VjcmV0"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"first\", \"token_type\": \"bearer\", \"expires_in\": 3600}"))
                .willSetStateTo("second"));
        login.stubFor(post(urlEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"second\", \"token_type\": \"bearer\", \"expires_in\": 3600}")));
    }

    @AfterEach
    void stop() {
        login.stop();
    }

    private GenesysTokenSource tokens(String secret) {
        return new GenesysTokenSource(login.baseUrl(), "id", secret, Duration.ofMinutes(5), Duration.ofSeconds(5), clock);
    }

    @Test
    void tokenIsCachedThenRenewedBeforeItExpires() throws Exception {
        GenesysTokenSource tokens = tokens("secret");
        assertEquals("first", tokens.currentToken());
        clock.advance(Duration.ofMinutes(54));
        assertEquals("first", tokens.currentToken(), "still cached 6 minutes before expiry");
        login.verify(1, postRequestedFor(urlEqualTo("/oauth/token")).withRequestBody(equalTo("grant_type=client_credentials")));
        clock.advance(Duration.ofMinutes(2));
        assertEquals("second", tokens.currentToken(), "renewed within 5 minutes of expiry");
        login.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void aRejectedTokenIsReplacedOnce() throws Exception {
        GenesysTokenSource tokens = tokens("secret");
        String first = tokens.currentToken();
        tokens.invalidate(first);
        tokens.invalidate(first); // a second caller with the same stale token does not force another login
        String renewed = tokens.currentToken();
        assertNotEquals(first, renewed, "a new token after a 401");
        tokens.invalidate(first);
        assertEquals(renewed, tokens.currentToken(), "a late 401 for the old token keeps the new one");
        login.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
    }

    @Test
    void badCredentialsFailWithoutLeakingTheSecret() {
        IOException error = assertThrows(IOException.class, () -> tokens("wrong-secret").currentToken());
        assertTrue(error.getMessage().contains("404") || error.getMessage().contains("HTTP"), error.getMessage());
        assertTrue(!error.getMessage().contains("wrong-secret"), "the secret never appears in errors");
    }
}
