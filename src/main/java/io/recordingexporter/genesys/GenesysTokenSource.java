package io.recordingexporter.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * An OAuth client-credentials token for the Genesys API, fetched from the login host, cached, and renewed before it
 * expires (or at once after a 401). The SDK's own login cannot be pointed at another host and never renews, so this
 * class does it. One renewal at a time: concurrent callers wait for it and share the result.
 */
public class GenesysTokenSource {

    private final HttpClient http;
    private final URI tokenUri;
    private final String basicCredentials;
    private final Duration renewBefore;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    private String accessToken;
    private Instant renewAt = Instant.MIN;

    public GenesysTokenSource(String loginBaseUrl, String clientId, String clientSecret, Duration renewBefore,
            Duration timeout, Clock clock) {
        this.tokenUri = URI.create(loginBaseUrl + "/oauth/token");
        this.basicCredentials = clientId == null || clientId.isBlank() ? null : Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.renewBefore = renewBefore;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A token valid for a while yet, fetching a new one when the cached one is due for renewal. */
    public synchronized String currentToken() throws IOException {
        if (accessToken == null || !clock.instant().isBefore(renewAt)) {
            renew();
        }
        return accessToken;
    }

    /** Forgets the cached token (Genesys answered 401), so the next call fetches a new one. */
    public synchronized void invalidate(String rejectedToken) {
        if (rejectedToken != null && rejectedToken.equals(accessToken)) {
            accessToken = null;
        }
    }

    private void renew() throws IOException {
        if (basicCredentials == null) {
            throw new IOException("GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET are not set");
        }
        HttpRequest request = HttpRequest.newBuilder(tokenUri)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basicCredentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching a Genesys token", e);
        }
        if (response.statusCode() != 200) {
            // the body may echo request details; the status is enough and never carries the secret
            throw new IOException("Genesys login at " + tokenUri + " answered HTTP " + response.statusCode());
        }
        JsonNode body = json.readTree(response.body());
        String token = body.path("access_token").asText(null);
        long expiresIn = body.path("expires_in").asLong(0);
        if (token == null || expiresIn <= 0) {
            throw new IOException("Genesys login at " + tokenUri + " answered without access_token/expires_in");
        }
        // renew ahead of expiry, but never later than half way through a short-lived token
        long aheadSeconds = Math.min(renewBefore.toSeconds(), expiresIn / 2);
        accessToken = token;
        renewAt = clock.instant().plusSeconds(expiresIn - aheadSeconds);
    }
}
