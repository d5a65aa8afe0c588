package io.recordingexporter.incident;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.recordingexporter.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceNowCredentialsTest {

    private WireMockServer serviceNow;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @BeforeEach
    void start() {
        serviceNow = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        serviceNow.start();
    }

    @AfterEach
    void stop() {
        serviceNow.stop();
    }

    @Test
    void withoutAUserTheClientCredentialsGrantIsUsedAndTheTokenLastsUntilShortlyBeforeItExpires() throws Exception {
        serviceNow.stubFor(post(urlEqualTo("/oauth_token.do")).withRequestBody(containing("grant_type=client_credentials"))
                .withRequestBody(containing("client_secret=s%26cret"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\": \"tok\", \"expires_in\": 1800}")));
        ServiceNowCredentials credentials = new ServiceNowCredentials(serviceNow.baseUrl() + "/", "", "", "app",
                "s&cret", Duration.ofSeconds(5), clock);
        assertEquals("Bearer tok", credentials.authorization());
        clock.advance(Duration.ofSeconds(1739));
        assertEquals("Bearer tok", credentials.authorization());
        assertEquals(1, serviceNow.findAll(postRequestedFor(urlEqualTo("/oauth_token.do"))).size(), "reused");
        clock.advance(Duration.ofSeconds(1));
        credentials.authorization();
        assertEquals(2, serviceNow.findAll(postRequestedFor(urlEqualTo("/oauth_token.do"))).size(),
                "renewed a minute before expiry");
    }

    @Test
    void aRefusedLoginSaysWhereAndHowButNeverTheSecret() {
        serviceNow.stubFor(post(urlEqualTo("/oauth_token.do")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\": \"access_denied\", \"client_secret\": \"very-secret\"}")));
        ServiceNowCredentials credentials = new ServiceNowCredentials(serviceNow.baseUrl(), "ops", "pw", "app",
                "very-secret", Duration.ofSeconds(5), clock);
        IOException refused = assertThrows(IOException.class, credentials::authorization);
        assertTrue(refused.getMessage().contains("/oauth_token.do") && refused.getMessage().contains("401"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("very-secret") || refused.getMessage().contains("pw"),
                refused.getMessage());
    }

    @Test
    void withoutAClientIdItIsBasic() throws Exception {
        ServiceNowCredentials credentials = new ServiceNowCredentials(serviceNow.baseUrl(), "ops", "secret", "", "",
                Duration.ofSeconds(5), clock);
        assertEquals("Basic b3BzOnNlY3JldA==", credentials.authorization());
        assertEquals(0, serviceNow.findAll(postRequestedFor(urlEqualTo("/oauth_token.do"))).size());
    }
}
