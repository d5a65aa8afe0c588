package io.recordingexporter.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code Authorization} header of the Table API calls: Basic with a user and password, or OAuth 2.0 when a
 * client id is set. OAuth tokens come from the instance's {@code /oauth_token.do} (form-encoded POST): the
 * {@code password} grant when a user is set too, else {@code client_credentials}. A token is reused until shortly
 * before its {@code expires_in}, and dropped when the Table API answers 401, so the next delivery logs in again.
 * Secrets only ever travel in headers and form bodies, never in a URI or a log line.
 */
public class ServiceNowCredentials {

    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);
    private static final int UNAUTHORIZED = 401;

    private final String tokenUrl;
    private final String username;
    private final String password;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private String token;
    private Instant renewAt = Instant.MIN;

    /** How long a token request may take. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public ServiceNowCredentials(String instanceUrl, String username, String password, String clientId,
            String clientSecret, Duration timeout, Clock clock) {
        this.tokenUrl = (instanceUrl.endsWith("/") ? instanceUrl.substring(0, instanceUrl.length() - 1) : instanceUrl)
                + "/oauth_token.do";
        this.username = username;
        this.password = password;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public boolean usesOAuth() {
        return !clientId.isBlank();
    }

    /** The header value for the next Table API call; logs in first when OAuth has no live token. */
    public synchronized String authorization() throws IOException {
        if (!usesOAuth()) {
            return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (token == null || !clock.instant().isBefore(renewAt)) {
            login();
        }
        return "Bearer " + token;
    }

    /** The Table API refused the call: with OAuth, the token is dropped and the next call logs in again. */
    public synchronized void refused(Throwable cause) {
        if (usesOAuth() && statusOf(cause) == UNAUTHORIZED) {
            token = null;
        }
    }

    private void login() throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", username.isBlank() ? "client_credentials" : "password");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        if (!username.isBlank()) {
            form.put("username", username);
            form.put("password", password);
        }
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while logging in to ServiceNow", e);
        }
        if (response.statusCode() != 200) {
            // the reply body may echo what was sent: only the status is told
            throw new IOException("ServiceNow OAuth login at " + tokenUrl + " answered HTTP " + response.statusCode());
        }
        JsonNode reply = json.readTree(response.body());
        String accessToken = reply.path("access_token").asText("");
        if (accessToken.isBlank()) {
            throw new IOException("ServiceNow OAuth login at " + tokenUrl + " gave no access_token");
        }
        long lifetime = reply.path("expires_in").asLong(1800);
        token = accessToken;
        renewAt = clock.instant().plusSeconds(lifetime).minus(RENEW_BEFORE_EXPIRY);
    }

    private static int statusOf(Throwable cause) {
        for (Throwable failure = cause; failure != null; failure = failure.getCause() == failure ? null : failure.getCause()) {
            if (failure instanceof org.apache.camel.http.base.HttpOperationFailedException refused) {
                return refused.getStatusCode();
            }
        }
        return 0;
    }
}
