package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.model.AddressableEntityRef;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationQueryResponse;
import com.mypurecloud.sdk.v2.model.Recording;
import com.mypurecloud.sdk.v2.model.RecordingMetadata;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Genesys Cloud simulator on loopback: the login host ({@code POST /oauth/token}) and the API subset the exporter
 * calls, answering with the SDK's own model classes. Every reply body is first converted into its SDK model with
 * unknown properties forbidden, so the simulator cannot drift from the shapes the real API has. Media is served from
 * {@code /media/{recordingId}} as a pre-signed link would be (no token, not counted as an API call).
 */
public final class GenesysSimulator implements AutoCloseable {

    private static final Pattern RECORDING_METADATA = Pattern.compile("^/api/v2/conversations/([^/]+)/recordingmetadata$");
    private static final Pattern RECORDING = Pattern.compile("^/api/v2/conversations/([^/]+)/recordings/([^/]+)$");
    private static final Pattern MEDIA = Pattern.compile("^/media/([^/]+)$");
    private static final int TOKEN_SECONDS = 86_400;
    /** Genesys's default limit: requests per minute per client-credentials token. */
    public static final int REQUESTS_PER_MINUTE = 300;
    private static final long WINDOW_MILLIS = 60_000;

    private final SimulatedOrg org;
    private final String clientId;
    private final String clientSecret;
    private final ObjectMapper sdkJson;
    private final ObjectMapper strictSdkJson;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.ArrayDeque<Long>> callsByToken = new ConcurrentHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    private final AtomicLong http429 = new AtomicLong();
    private final AtomicLong mediaDownloads = new AtomicLong();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "genesys-simulator");
        thread.setDaemon(true);
        return thread;
    });

    public GenesysSimulator(SimulatedOrg org, String clientId, String clientSecret, int port) throws IOException {
        this.org = org;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        SimpleDateFormat dateFormat = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        dateFormat.setTimeZone(TimeZone.getTimeZone("UTC"));
        this.sdkJson = ApiClient.buildObjectMapper(dateFormat);
        this.strictSdkJson = sdkJson.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    public GenesysSimulator start() {
        server.start();
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Genesys API requests answered (media downloads and logins not included). */
    public long apiCalls() {
        return apiCalls.get();
    }

    public long http429() {
        return http429.get();
    }

    public long mediaDownloads() {
        return mediaDownloads.get();
    }

    public long tokensIssued() {
        return tokensIssued.get();
    }

    public SimulatedOrg org() {
        return org;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/oauth/token") && method.equals("POST")) {
                login(exchange);
                return;
            }
            Matcher media = MEDIA.matcher(path);
            if (media.matches() && method.equals("GET")) {
                serveMedia(exchange, media.group(1));
                return;
            }
            if (!path.startsWith("/api/v2/")) {
                error(exchange, 404, "not.found", "no such resource");
                return;
            }
            apiCalls.incrementAndGet();
            if (!authorised(exchange)) {
                error(exchange, 401, "bad.credentials", "Invalid login credentials.");
                return;
            }
            if (!withinRateLimit(exchange)) {
                return;
            }
            Matcher metadata = RECORDING_METADATA.matcher(path);
            Matcher recording = RECORDING.matcher(path);
            if (metadata.matches() && method.equals("GET")) {
                recordingMetadata(exchange, metadata.group(1));
            } else if (recording.matches() && method.equals("GET")) {
                recording(exchange, recording.group(1), recording.group(2));
            } else if (path.equals("/api/v2/recordings/deletionprotection") && method.equals("POST")) {
                deletionProtection(exchange);
            } else if (path.equals("/api/v2/analytics/conversations/details/query") && method.equals("POST")) {
                conversationDetails(exchange);
            } else {
                error(exchange, 404, "not.found", "The requested resource was not found.");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "internal.server.error", "simulator failure: " + e.getMessage());
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !body.contains("grant_type=client_credentials")) {
            respond(exchange, 401, Map.of("error", "invalid_client", "description", "client not found"));
            return;
        }
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        issuedTokens.add(token);
        tokensIssued.incrementAndGet();
        respond(exchange, 200, Map.of("access_token", token, "token_type", "bearer", "expires_in", TOKEN_SECONDS));
    }

    private boolean authorised(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        return authorization != null && authorization.startsWith("Bearer ")
                && issuedTokens.contains(authorization.substring("Bearer ".length()));
    }

    /**
     * Genesys's per-token limit over a sliding minute: every reply carries the {@code inin-ratelimit-*} headers, and a
     * call over the limit gets 429 with {@code Retry-After} (seconds until the window has room again).
     */
    private boolean withinRateLimit(HttpExchange exchange) throws IOException {
        String token = exchange.getRequestHeaders().getFirst("Authorization");
        java.util.ArrayDeque<Long> calls = callsByToken.computeIfAbsent(token, t -> new java.util.ArrayDeque<>());
        long now = System.currentTimeMillis();
        int count;
        long resetMillis;
        boolean allowed;
        synchronized (calls) {
            while (!calls.isEmpty() && calls.peekFirst() <= now - WINDOW_MILLIS) {
                calls.pollFirst();
            }
            allowed = calls.size() < REQUESTS_PER_MINUTE;
            if (allowed) {
                calls.addLast(now);
            }
            count = calls.size();
            resetMillis = calls.isEmpty() ? 0 : calls.peekFirst() + WINDOW_MILLIS - now;
        }
        long resetSeconds = Math.max(1, (resetMillis + 999) / 1000);
        exchange.getResponseHeaders().set("inin-ratelimit-allowed", Integer.toString(REQUESTS_PER_MINUTE));
        exchange.getResponseHeaders().set("inin-ratelimit-count", Integer.toString(count));
        exchange.getResponseHeaders().set("inin-ratelimit-reset", Long.toString(resetSeconds));
        if (!allowed) {
            http429.incrementAndGet();
            exchange.getResponseHeaders().set("Retry-After", Long.toString(resetSeconds));
            error(exchange, 429, "too.many.requests.retry.after", "Rate limit exceeded the maximum. Retry the request in ["
                    + resetSeconds + "] seconds");
        }
        return allowed;
    }

    private void recordingMetadata(HttpExchange exchange, String conversationId) throws IOException {
        SimulatedOrg.Conversation conversation = org.conversation(conversationId);
        if (conversation == null) {
            error(exchange, 404, "not.found", "Conversation " + conversationId + " not found");
            return;
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        for (SimulatedOrg.Recording recording : conversation.recordings()) {
            listed.add(metadataOf(recording));
        }
        respond(exchange, 200, shaped(listed, RecordingMetadata.class));
    }

    private Map<String, Object> metadataOf(SimulatedOrg.Recording recording) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", recording.id());
        metadata.put("conversationId", recording.conversationId());
        metadata.put("startTime", recording.start().toString());
        metadata.put("endTime", recording.end().toString());
        metadata.put("media", recording.media());
        metadata.put("fileState", "AVAILABLE");
        metadata.put("sessionId", recording.id());
        metadata.put("selfUri", "/api/v2/conversations/" + recording.conversationId() + "/recordings/" + recording.id());
        return metadata;
    }

    private void recording(HttpExchange exchange, String conversationId, String recordingId) throws IOException {
        SimulatedOrg.Recording recording = org.recording(recordingId);
        if (recording == null || !recording.conversationId().equals(conversationId)) {
            error(exchange, 404, "recording.not.found", "Recording " + recordingId + " not found");
            return;
        }
        Map<String, Object> body = metadataOf(recording);
        body.remove("sessionId");
        body.put("mediaUris", Map.of("S", Map.of("mediaUri", baseUrl() + "/media/" + recordingId)));
        body.put("outputSizeInBytes", recording.sizeBytes());
        respond(exchange, 200, shaped(body, Recording.class));
    }

    private void deletionProtection(HttpExchange exchange) throws IOException {
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        List<Map<String, Object>> protectedOnes = new ArrayList<>();
        for (JsonNode id : query.path("conversationIds")) {
            SimulatedOrg.Conversation conversation = org.conversation(id.asText());
            if (conversation != null && conversation.protectedFromDeletion()) {
                protectedOnes.add(Map.of("id", conversation.id(), "selfUri", "/api/v2/conversations/" + conversation.id()));
            }
        }
        respond(exchange, 200, shaped(protectedOnes, AddressableEntityRef.class));
    }

    /** The synchronous details query: conversations that started in the interval and have recordings, paged. */
    private void conversationDetails(HttpExchange exchange) throws IOException {
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        String[] interval = query.path("interval").asText("").split("/");
        if (interval.length != 2) {
            error(exchange, 400, "bad.request", "interval must be start/end in ISO-8601");
            return;
        }
        Instant from = Instant.parse(interval[0]);
        Instant to = Instant.parse(interval[1]);
        int pageSize = query.path("paging").path("pageSize").asInt(25);
        int pageNumber = query.path("paging").path("pageNumber").asInt(1);
        List<SimulatedOrg.Conversation> matching = org.conversations().stream()
                .filter(c -> !c.start().isBefore(from) && c.start().isBefore(to))
                .sorted((a, b) -> a.start().compareTo(b.start()))
                .toList();
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = (pageNumber - 1) * pageSize; i < Math.min(matching.size(), pageNumber * pageSize); i++) {
            SimulatedOrg.Conversation conversation = matching.get(i);
            String mediaType = switch (conversation.kind()) {
                case "voice" -> "voice";
                case "chat" -> "chat";
                case "sms" -> "message";
                default -> "email";
            };
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("mediaType", mediaType);
            session.put("recording", Boolean.TRUE);
            page.add(Map.of(
                    "conversationId", conversation.id(),
                    "conversationStart", conversation.start().toString(),
                    "conversationEnd", conversation.end().toString(),
                    "participants", List.of(Map.of("purpose", "customer", "sessions", List.of(session)))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            body.put("conversations", page);
        }
        body.put("totalHits", matching.size());
        respond(exchange, 200, shaped(body, AnalyticsConversationQueryResponse.class));
    }

    private void serveMedia(HttpExchange exchange, String recordingId) throws IOException {
        SimulatedOrg.Recording recording = org.recording(recordingId);
        if (recording == null) {
            error(exchange, 404, "not.found", "no media");
            return;
        }
        mediaDownloads.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", recording.contentType());
        exchange.sendResponseHeaders(200, recording.sizeBytes());
        try (InputStream in = recording.open(); OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    /**
     * The reply as the SDK model would carry it: converted into the model class with unknown properties forbidden
     * (a misspelt or invented field fails here), then written back out with the SDK's mapper.
     */
    private Object shaped(Object body, Class<?> model) {
        if (body instanceof List<?> list) {
            return strictSdkJson.convertValue(list, TypeFactory.defaultInstance().constructCollectionType(List.class, model));
        }
        return strictSdkJson.convertValue(body, model);
    }

    private void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("code", code);
        body.put("status", status);
        body.put("contextId", UUID.randomUUID().toString());
        body.put("details", List.of());
        body.put("errors", List.of());
        respond(exchange, status, body);
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = sdkJson.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("inin-correlation-id", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
