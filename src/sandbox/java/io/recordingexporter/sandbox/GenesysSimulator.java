package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.model.AddressableEntityRef;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationAsyncQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationQueryResponse;
import com.mypurecloud.sdk.v2.model.AnalyticsConversationWithoutAttributesMultiGetResponse;
import com.mypurecloud.sdk.v2.model.AsyncQueryResponse;
import com.mypurecloud.sdk.v2.model.AsyncQueryStatus;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobStatusResult;
import com.mypurecloud.sdk.v2.model.BatchDownloadJobSubmissionResult;
import com.mypurecloud.sdk.v2.model.Conversation;
import com.mypurecloud.sdk.v2.model.DataAvailabilityResponse;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Genesys Cloud simulator on loopback: the login host ({@code POST /oauth/token}) and the API subset the exporter
 * calls, answering with the SDK's own model classes. Every reply body is first converted into its SDK model with
 * unknown properties forbidden, so the simulator cannot drift from the shapes the real API has. Media is served from
 * {@code /media/{recordingId}} as a pre-signed link would be (no token, not counted as an API call).
 */
public final class GenesysSimulator implements AutoCloseable {

    private static final Pattern RECORDING_METADATA = Pattern.compile("^/api/v2/conversations/([^/]+)/recordingmetadata$");
    private static final Pattern ONE_RECORDING_METADATA =
            Pattern.compile("^/api/v2/conversations/([^/]+)/recordingmetadata/([^/]+)$");
    private static final Pattern RECORDING = Pattern.compile("^/api/v2/conversations/([^/]+)/recordings/([^/]+)$");
    private static final Pattern RECORDING_JOB = Pattern.compile("^/api/v2/recording/jobs/([^/]+)$");
    private static final Pattern RECORDING_JOB_FAILED =
            Pattern.compile("^/api/v2/recording/jobs/([^/]+)/failedrecordings$");
    private static final Pattern MEDIA = Pattern.compile("^/media/([^/]+)$");
    private static final Pattern CONVERSATION = Pattern.compile("^/api/v2/conversations/([^/]+)$");
    private static final Pattern BATCH_JOB = Pattern.compile("^/api/v2/recording/batchrequests/([^/]+)$");
    private static final Pattern DETAILS_JOB = Pattern.compile("^/api/v2/analytics/conversations/details/jobs/([^/]+)$");
    private static final Pattern DETAILS_JOB_RESULTS =
            Pattern.compile("^/api/v2/analytics/conversations/details/jobs/([^/]+)/results$");
    private static final int TOKEN_SECONDS = 86_400;
    private static final Logger LOG = LoggerFactory.getLogger(GenesysSimulator.class);
    /** Genesys's default limit: requests per minute per client-credentials token. */
    public static final int REQUESTS_PER_MINUTE = 300;
    /** How long after its conversation's end event a late screen recording is first listed (SANDBOX_LATE_SCREEN_SECONDS). */
    public static final java.time.Duration DEFAULT_LATE_SCREEN_DELAY = java.time.Duration.ofSeconds(45);
    private static final long WINDOW_MILLIS = 60_000;

    private final SimulatedOrg org;
    private final String clientId;
    private final String clientSecret;
    private final ObjectMapper sdkJson;
    private final ObjectMapper strictSdkJson;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.ArrayDeque<Long>> callsByToken = new ConcurrentHashMap<>();
    private final AtomicLong apiCalls = new AtomicLong();
    /** When each API call came, from every token of the client: the most in any minute across replicas. */
    private final List<Long> apiCallTimes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final AtomicLong http429 = new AtomicLong();
    private final AtomicLong mediaDownloads = new AtomicLong();
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong mediaLinksRefused = new AtomicLong();
    private final Map<String, AtomicLong> callsByEndpoint = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> callsByRecording = new ConcurrentHashMap<>();
    private final Map<String, BatchJob> batchJobs = new ConcurrentHashMap<>();
    /** Protection changed after the org was generated (PUT deletionprotection): id -> protected. */
    private final Map<String, Boolean> protectionChanges = new ConcurrentHashMap<>();
    /** Recordings deleted after the org was generated (a retention policy, an administrator). */
    private final Set<String> deletedRecordings = ConcurrentHashMap.newKeySet();
    private final Map<String, DetailsJob> detailsJobs = new ConcurrentHashMap<>();
    private final List<String> detailsJobIntervals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String linkSecret = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    private volatile java.time.Duration batchJobDuration = java.time.Duration.ofMillis(1500);
    private volatile java.time.Duration detailsJobDuration = java.time.Duration.ofMillis(1500);
    private volatile java.time.Duration linkLifetime = java.time.Duration.ofMinutes(60);
    private volatile java.time.Duration transcodingAfterStart = java.time.Duration.ofSeconds(8);
    private volatile java.time.Duration lateScreenDelay = DEFAULT_LATE_SCREEN_DELAY;
    private volatile java.time.Duration mediaPace = java.time.Duration.ZERO;
    /** When each conversation's end event went out (the sandbox's webhook); else the simulator's start counts. */
    private final Map<String, Instant> conversationEvents = new ConcurrentHashMap<>();
    private volatile SandboxFaults faults = SandboxFaults.none();
    private volatile SimulatedArchive archive = SimulatedArchive.NONE;
    private final Set<String> droppedOnce = ConcurrentHashMap.newKeySet();
    private final java.util.SplittableRandom chance = new java.util.SplittableRandom(7);
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

    /** How long a batch download job takes until all its results are in (they arrive spread over that time). */
    public GenesysSimulator withBatchJobDuration(java.time.Duration duration) {
        this.batchJobDuration = duration;
        return this;
    }

    /** How long an async conversation details job stays QUEUED before it is FULFILLED. */
    public GenesysSimulator withDetailsJobDuration(java.time.Duration duration) {
        this.detailsJobDuration = duration;
        return this;
    }

    /** How long a media link works after it was issued (Genesys: 2 to 60 minutes). */
    public GenesysSimulator withLinkLifetime(java.time.Duration lifetime) {
        this.linkLifetime = lifetime;
        return this;
    }

    /**
     * Recordings the org marks as just made ({@link SimulatedOrg.Recording#transcodedLate()}) answer "transcoding"
     * until this long after the simulator started.
     */
    public GenesysSimulator withTranscodingAfterStart(java.time.Duration duration) {
        this.transcodingAfterStart = duration;
        return this;
    }

    /**
     * About one screen recording in three is uploaded from the agent's desktop after the call, as Genesys's screen
     * recordings are: it is listed (batch downloads, metadata, the recording itself) only this long after its
     * conversation's end event, while the conversation's screen-share session shows from the start. Zero lists every
     * recording at once (kinder than Genesys).
     */
    public GenesysSimulator withLateScreenDelay(java.time.Duration delay) {
        this.lateScreenDelay = delay;
        return this;
    }

    /**
     * Every media download takes this long: the body comes in slices every half second (a slow link, a big
     * recording). Zero serves at once.
     */
    public GenesysSimulator withMediaPace(java.time.Duration pace) {
        this.mediaPace = pace;
        return this;
    }

    /** A hostile media reply for one recording, as a compromised or broken media host might give. */
    public enum MediaTrap {
        /** its links point at another host (127.0.0.2), which an allow-list naming only 127.0.0.1 refuses */
        OTHER_HOST,
        /** its media answers 302 to another host (127.0.0.2) */
        REDIRECT_TO_OTHER_HOST,
        /** its media sends a little and then nothing, the connection held open */
        STALL,
        /** its media is sent without a length and never ends before 64 MiB */
        OVERSIZED
    }

    private final Map<String, MediaTrap> mediaTraps = new ConcurrentHashMap<>();

    /** Makes the media of this recording hostile (a test of the exporter's download bounds). */
    public GenesysSimulator withMediaTrap(String recordingId, MediaTrap trap) {
        mediaTraps.put(recordingId, trap);
        return this;
    }

    /** The conversation's end event went out now (a trigger fired the webhook); late recordings count from here. */
    public void conversationEnded(String conversationId) {
        conversationEvents.putIfAbsent(conversationId, Instant.now());
    }

    /** Whether this recording is one the agent's desktop uploads late. */
    public static boolean uploadedLate(SimulatedOrg.Recording recording) {
        return recording.media().equals("screen") && Math.floorMod(recording.contentSeed(), 3) == 1;
    }

    /** Whether Genesys lists the recording yet: every one at once, except late screen recordings until their time. */
    private boolean listedYet(SimulatedOrg.Recording recording) {
        if (lateScreenDelay.isZero() || !uploadedLate(recording)) {
            return true;
        }
        Instant event = conversationEvents.getOrDefault(recording.conversationId(), startedAt);
        return !Instant.now().isBefore(event.plus(lateScreenDelay));
    }

    /**
     * An archive policy: the recordings of conversations that started before {@code archivedBefore} are ARCHIVED; a
     * restore takes {@code restoreTakes}, and the org has {@code maxRestorations} of them. (None by default: an org
     * without an archive policy.)
     */
    public GenesysSimulator withArchive(Instant archivedBefore, java.time.Duration restoreTakes, int maxRestorations) {
        this.archive = new SimulatedArchive(archivedBefore, restoreTakes, maxRestorations);
        return this;
    }

    /** The org's restoration allowance renewed: {@code max} of them, none spent. */
    public void renewRestorations(int max) {
        archive.renew(max);
    }

    /** Restores asked for and granted. */
    public int restoresStarted() {
        return archive.restoresStarted();
    }

    /** Restorations the org has left. */
    public int restorationsRemaining() {
        return archive.remaining();
    }

    /** Failures to inject (SANDBOX_FAULTS). */
    public GenesysSimulator withFaults(SandboxFaults injected) {
        this.faults = injected;
        return this;
    }

    private synchronized double draw() {
        return chance.nextDouble();
    }

    private void maybeSlow() {
        if (faults.on("slow")) {
            try {
                Thread.sleep(100 + (long) (draw() * 500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The injected answer for a recording right now: 409 (metadata lock), 500 (screen), or none (0). */
    private int injectedFailure(SimulatedOrg.Recording recording) {
        SimulatedOrg.Conversation conversation = org.conversation(recording.conversationId());
        if (conversation != null && conversation.legalHold() && faults.within("lock-409")) {
            return 409;
        }
        if (recording.media().equals("screen") && faults.within("screen-500")) {
            return 500;
        }
        return 0;
    }

    public java.time.Duration linkLifetime() {
        return linkLifetime;
    }

    /** The interval of each analytics details job submitted, in order: what a poll asked Genesys for. */
    public List<String> detailsJobIntervals() {
        return List.copyOf(detailsJobIntervals);
    }

    /** API requests answered, by endpoint (for summaries). */
    public Map<String, Long> callsByEndpoint() {
        Map<String, Long> calls = new java.util.TreeMap<>();
        callsByEndpoint.forEach((endpoint, count) -> calls.put(endpoint, count.get()));
        return calls;
    }

    /**
     * Deletes a recording, as a retention policy would: it is no longer listed, its media links answer 404, and the
     * per-recording call answers 404.
     */
    public void deleteRecording(String recordingId) {
        deletedRecordings.add(recordingId);
    }

    /** The recording, if Genesys lists it now: not deleted, and not a late upload still to come. */
    private SimulatedOrg.Recording liveRecording(String recordingId) {
        SimulatedOrg.Recording recording = recordingId == null || deletedRecordings.contains(recordingId) ? null
                : org.recording(recordingId);
        return recording == null || !listedYet(recording) ? null : recording;
    }

    /** A valid access token, as the login host would issue one (for a caller acting as a Genesys admin). */
    public String issueToken() {
        String token = UUID.randomUUID().toString().replace("-", "");
        issuedTokens.add(token);
        return token;
    }

    /** Media requests refused because their link had expired or was not signed by this simulator. */
    public long mediaLinksRefused() {
        return mediaLinksRefused.get();
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

    /**
     * The most API calls in any 60 s so far, from all the client's tokens together (Genesys limits each token; replicas
     * that each log in have a token each, and share one budget of the client's so that together they stay within it).
     */
    public int mostCallsInAnyMinute() {
        long[] times;
        synchronized (apiCallTimes) {
            times = apiCallTimes.stream().mapToLong(Long::longValue).toArray();
        }
        java.util.Arrays.sort(times);
        int most = 0;
        int first = 0;
        for (int last = 0; last < times.length; last++) {
            while (times[last] - times[first] >= WINDOW_MILLIS) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
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
        // the exchange is closed only after an error reply could be written
        try (exchange) {
            answer(exchange);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
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
            apiCallTimes.add(System.currentTimeMillis());
            if (!authorised(exchange)) {
                error(exchange, 401, "bad.credentials", "Invalid login credentials.");
                return;
            }
            maybeSlow();
            if (faults.on("rate-429") && draw() < 0.03) {
                http429.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", "2");
                error(exchange, 429, "too.many.requests.retry.after", "Rate limit exceeded the maximum. Retry the request in [2] seconds");
                return;
            }
            if (!withinRateLimit(exchange)) {
                return;
            }
            Matcher metadata = RECORDING_METADATA.matcher(path);
            Matcher oneMetadata = ONE_RECORDING_METADATA.matcher(path);
            Matcher recording = RECORDING.matcher(path);
            Matcher batchJob = BATCH_JOB.matcher(path);
            Matcher detailsJobResults = DETAILS_JOB_RESULTS.matcher(path);
            Matcher detailsJob = DETAILS_JOB.matcher(path);
            Matcher conversation = CONVERSATION.matcher(path);
            Matcher recordingJob = RECORDING_JOB.matcher(path);
            Matcher recordingJobFailed = RECORDING_JOB_FAILED.matcher(path);
            count(method, path);
            if (path.equals("/api/v2/recording/batchrequests") && method.equals("POST")) {
                submitBatch(exchange);
            } else if (batchJob.matches() && method.equals("GET")) {
                batchStatus(exchange, batchJob.group(1));
            } else if (path.equals("/api/v2/analytics/conversations/details") && method.equals("GET")) {
                conversationMultiGet(exchange);
            } else if (path.equals("/api/v2/analytics/conversations/details/jobs/availability") && method.equals("GET")) {
                Map<String, Object> body = Map.of("dataAvailabilityDate", iso(Instant.now()));
                respond(exchange, 200, shaped(body, DataAvailabilityResponse.class));
            } else if (path.equals("/api/v2/analytics/conversations/details/jobs") && method.equals("POST")) {
                submitDetailsJob(exchange);
            } else if (detailsJobResults.matches() && method.equals("GET")) {
                detailsJobResults(exchange, detailsJobResults.group(1));
            } else if (detailsJob.matches() && method.equals("GET")) {
                detailsJobStatus(exchange, detailsJob.group(1));
            } else if (conversation.matches() && method.equals("GET")) {
                conversation(exchange, conversation.group(1));
            } else if (metadata.matches() && method.equals("GET")) {
                recordingMetadata(exchange, metadata.group(1));
            } else if (oneMetadata.matches() && method.equals("GET")) {
                oneRecordingMetadata(exchange, oneMetadata.group(1), oneMetadata.group(2));
            } else if (recording.matches() && method.equals("GET")) {
                recording(exchange, recording.group(1), recording.group(2));
            } else if (recording.matches() && method.equals("PUT")) {
                updateRecording(exchange, recording.group(1), recording.group(2));
            } else if (path.equals("/api/v2/recordings/deletionprotection") && method.equals("POST")) {
                deletionProtection(exchange);
            } else if (path.equals("/api/v2/recordings/deletionprotection") && method.equals("PUT")) {
                protect(exchange);
            } else if (path.equals("/api/v2/analytics/conversations/details/query") && method.equals("POST")) {
                conversationDetails(exchange);
            } else if (path.equals("/api/v2/recording/jobs") && method.equals("POST")) {
                submitRecordingJob(exchange);
            } else if (recordingJob.matches() && method.equals("PUT")) {
                executeRecordingJob(exchange, recordingJob.group(1));
            } else if (recordingJob.matches() && method.equals("GET")) {
                recordingJob(exchange, recordingJob.group(1));
            } else if (recordingJobFailed.matches() && method.equals("GET")) {
                failedRecordings(exchange, recordingJobFailed.group(1));
            } else {
                error(exchange, 404, "not.found", "The requested resource was not found.");
            }
        } catch (DroppedConnection e) {
            LOG.info(e.getMessage());
            throw e;
        } catch (IOException e) {
            LOG.error("Simulator could not answer {}", exchange.getRequestURI(), e);
            throw e;
        } catch (RuntimeException | Error e) {
            // a simulator bug must show as a 500 with its cause, never as a connection closed without a reply
            LOG.error("Simulator failed on {}",
                    exchange.getRequestURI(), e);
            error(exchange, 500, "internal.server.error", "simulator failure: " + e);
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

    /**
     * {@code GET /api/v2/conversations/{id}}: the conversation in real time, with its participants' attributes (the
     * data a flow set, {@code legalHold} among them) — the one source of attributes that does not lag.
     */
    private void conversation(HttpExchange exchange, String conversationId) throws IOException {
        SimulatedOrg.Conversation conversation = org.conversation(conversationId);
        if (conversation == null) {
            error(exchange, 404, "not.found", "Conversation " + conversationId + " not found");
            return;
        }
        Map<String, String> customerAttributes = new LinkedHashMap<>();
        customerAttributes.put("queueName", "Support");
        if (conversation.legalHoldAttribute()) {
            customerAttributes.put("legalHold", "true");
        }
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", participantId(conversation, "customer"));
        customer.put("purpose", "customer");
        customer.put("startTime", iso(conversation.start()));
        customer.put("endTime", iso(conversation.end()));
        customer.put("attributes", customerAttributes);
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("id", participantId(conversation, "agent"));
        agent.put("purpose", "agent");
        agent.put("startTime", iso(conversation.start()));
        agent.put("endTime", iso(conversation.end()));
        agent.put("attributes", Map.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", conversation.id());
        body.put("startTime", iso(conversation.start()));
        body.put("endTime", iso(conversation.end()));
        body.put("participants", List.of(customer, agent));
        body.put("selfUri", "/api/v2/conversations/" + conversation.id());
        respond(exchange, 200, shaped(body, Conversation.class));
    }

    private static String participantId(SimulatedOrg.Conversation conversation, String purpose) {
        return UUID.nameUUIDFromBytes((conversation.id() + purpose).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void recordingMetadata(HttpExchange exchange, String conversationId) throws IOException {
        SimulatedOrg.Conversation conversation = org.conversation(conversationId);
        if (conversation == null) {
            error(exchange, 404, "not.found", "Conversation " + conversationId + " not found");
            return;
        }
        List<Map<String, Object>> listed = new ArrayList<>();
        for (SimulatedOrg.Recording recording : conversation.recordings()) {
            if (liveRecording(recording.id()) != null) {
                listed.add(metadataOf(recording));
            }
        }
        respond(exchange, 200, shaped(listed, RecordingMetadata.class));
    }

    /** One recording's metadata; a recording under a metadata lock answers 409 here too, as its media call does. */
    private void oneRecordingMetadata(HttpExchange exchange, String conversationId, String recordingId)
            throws IOException {
        SimulatedOrg.Recording recording = liveRecording(recordingId);
        if (recording == null || !recording.conversationId().equals(conversationId)) {
            error(exchange, 404, "recording.not.found", "Recording " + recordingId + " not found");
            return;
        }
        if (injectedFailure(recording) == 409) {
            error(exchange, 409, "conflict", "The recording is locked while its metadata is updated");
            return;
        }
        respond(exchange, 200, shaped(metadataOf(recording), RecordingMetadata.class));
    }

    private Map<String, Object> metadataOf(SimulatedOrg.Recording recording) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", recording.id());
        metadata.put("conversationId", recording.conversationId());
        metadata.put("startTime", recording.start().toString());
        metadata.put("endTime", recording.end().toString());
        metadata.put("media", recording.media());
        metadata.put("fileState", archive.fileState(org.conversation(recording.conversationId()), recording.id()));
        metadata.put("sessionId", recording.id());
        metadata.put("selfUri", "/api/v2/conversations/" + recording.conversationId() + "/recordings/" + recording.id());
        return metadata;
    }

    private void recording(HttpExchange exchange, String conversationId, String recordingId) throws IOException {
        SimulatedOrg.Recording recording = liveRecording(recordingId);
        if (recording == null || !recording.conversationId().equals(conversationId)) {
            error(exchange, 404, "recording.not.found", "Recording " + recordingId + " not found");
            return;
        }
        int injected = injectedFailure(recording);
        if (injected == 409) {
            error(exchange, 409, "conflict", "The recording is locked while its metadata is updated");
            return;
        }
        if (injected == 500) {
            error(exchange, 500, "internal.server.error", "The server encountered an unexpected error");
            return;
        }
        Map<String, Object> body = metadataOf(recording);
        body.remove("sessionId");
        if (archive.enabled()) {
            body.put("maxAllowedRestorationsForOrg", archive.maxRestorations());
            body.put("remainingRestorationsAllowedForOrg", archive.remaining());
            if (!archive.servesMedia(org.conversation(conversationId), recordingId)) {
                // archived or being restored: the recording, without media
                respond(exchange, 200, shaped(body, Recording.class));
                return;
            }
        }
        if (transcoding(recording)) {
            // Genesys answers 202 without media links while a recording is transcoding
            body.put("fileState", "UPLOADING");
            respond(exchange, 202, shaped(body, Recording.class));
            return;
        }
        body.put("mediaUris", Map.of("S", Map.of("mediaUri", signedLink(recordingId))));
        body.put("outputSizeInBytes", recording.sizeBytes());
        respond(exchange, 200, shaped(body, Recording.class));
    }

    /**
     * {@code PUT /api/v2/conversations/{c}/recordings/{r}} with a {@code restoreExpirationTime}: restores an archived
     * recording, spending one of the org's restorations; refused (400) when none are left.
     */
    private void updateRecording(HttpExchange exchange, String conversationId, String recordingId) throws IOException {
        SimulatedOrg.Recording recording = liveRecording(recordingId);
        if (recording == null || !recording.conversationId().equals(conversationId)) {
            error(exchange, 404, "recording.not.found", "Recording " + recordingId + " not found");
            return;
        }
        JsonNode update = sdkJson.readTree(exchange.getRequestBody());
        if (update == null || update.path("restoreExpirationTime").asText("").isEmpty()) {
            error(exchange, 400, "bad.request", "only a restore (restoreExpirationTime) is simulated");
            return;
        }
        SimulatedOrg.Conversation conversation = org.conversation(conversationId);
        if (archive.restore(conversation, recordingId) == SimulatedArchive.Restore.LIMIT_REACHED) {
            error(exchange, 400, "recording.restore.limit.reached",
                    "The organization has no recording restorations left");
            return;
        }
        Map<String, Object> body = metadataOf(recording);
        body.remove("sessionId");
        body.put("restoreExpirationTime", update.path("restoreExpirationTime").asText());
        body.put("maxAllowedRestorationsForOrg", archive.maxRestorations());
        body.put("remainingRestorationsAllowedForOrg", archive.remaining());
        respond(exchange, 200, shaped(body, Recording.class));
    }

    private void deletionProtection(HttpExchange exchange) throws IOException {
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        List<Map<String, Object>> protectedOnes = new ArrayList<>();
        for (JsonNode id : query.path("conversationIds")) {
            SimulatedOrg.Conversation conversation = org.conversation(id.asText());
            if (conversation != null && isProtected(conversation)) {
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
        if (pageSize < 1 || pageSize > 100 || pageNumber < 1) {
            error(exchange, 400, "bad.request", "paging.pageSize must be 1 to 100 and paging.pageNumber at least 1");
            return;
        }
        List<SimulatedOrg.Conversation> matching = org.conversations().stream()
                .filter(c -> !c.start().isBefore(from) && c.start().isBefore(to) && !c.recordings().isEmpty())
                .sorted((a, b) -> a.start().compareTo(b.start()))
                .toList();
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = (pageNumber - 1) * pageSize; i < Math.min(matching.size(), pageNumber * pageSize); i++) {
            page.add(analyticsConversation(matching.get(i), false));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            body.put("conversations", page);
        }
        body.put("totalHits", matching.size());
        respond(exchange, 200, shaped(body, AnalyticsConversationQueryResponse.class));
    }

    /** Genesys writes instants with milliseconds ({@code 2026-05-14T05:15:27.000Z}); the SDK's date format needs them. */
    private static String iso(Instant instant) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(instant);
    }

    /** A connection the simulator cuts on purpose ({@code drop}). */
    private static final class DroppedConnection extends IOException {
        DroppedConnection(String message) {
            super(message);
        }
    }

    private boolean isProtected(SimulatedOrg.Conversation conversation) {
        return protectionChanges.getOrDefault(conversation.id(), conversation.protectedFromDeletion());
    }

    /** {@code PUT /api/v2/recordings/deletionprotection?protect=true|false} with {@code {conversationIds}}: 204. */
    private void protect(HttpExchange exchange) throws IOException {
        String protect = queryParameters(exchange).get("protect");
        if (!"true".equals(protect) && !"false".equals(protect)) {
            error(exchange, 400, "bad.request", "protect must be true or false");
            return;
        }
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        for (JsonNode id : query.path("conversationIds")) {
            if (org.conversation(id.asText()) != null) {
                protectionChanges.put(id.asText(), Boolean.parseBoolean(protect));
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void count(String method, String path) {
        String endpoint = method + " " + path
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}")
                .replaceAll("/jobs/(?!availability)[^/]+", "/jobs/{jobId}")
                .replaceAll("/batchrequests/[^/]+", "/batchrequests/{jobId}");
        callsByEndpoint.computeIfAbsent(endpoint, e -> new AtomicLong()).incrementAndGet();
        for (Pattern oneRecording : List.of(RECORDING, ONE_RECORDING_METADATA)) {
            Matcher matcher = oneRecording.matcher(path);
            if (matcher.matches()) {
                callsByRecording.computeIfAbsent(matcher.group(2), r -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    /**
     * API calls made for one recording alone (its recording and metadata calls; batch requests, shared by up to 100
     * recordings, not counted), by recording id.
     */
    public Map<String, Long> callsByRecording() {
        Map<String, Long> calls = new java.util.TreeMap<>();
        callsByRecording.forEach((recordingId, count) -> calls.put(recordingId, count.get()));
        return calls;
    }

    private boolean transcoding(SimulatedOrg.Recording recording) {
        return recording.transcodedLate() && Instant.now().isBefore(startedAt.plus(transcodingAfterStart));
    }

    /**
     * The pre-signed media link a batch download result would carry, without an API call: for baselines that measure
     * the copy alone.
     */
    public String mediaLink(String recordingId) {
        return signedLink(recordingId);
    }

    /** A pre-signed link as an object store issues it: it carries its own expiry and a signature, no token. */
    private String signedLink(String recordingId) {
        long expires = Instant.now().plus(linkLifetime).toEpochMilli();
        String base = mediaTraps.get(recordingId) == MediaTrap.OTHER_HOST ? otherHostBaseUrl() : baseUrl();
        return base + "/media/" + recordingId + "?expires=" + expires + "&signature=" + signature(recordingId, expires);
    }

    /** The same port on 127.0.0.2, where nothing listens for the exporter: a host its allow-list does not name. */
    private String otherHostBaseUrl() {
        return "http://127.0.0.2:" + server.getAddress().getPort();
    }

    private String signature(String recordingId, long expires) {
        return Integer.toHexString((linkSecret + "|" + recordingId + "|" + expires).hashCode());
    }

    private boolean linkValid(HttpExchange exchange, String recordingId) {
        Map<String, String> query = queryParameters(exchange);
        try {
            long expires = Long.parseLong(query.getOrDefault("expires", ""));
            return signature(recordingId, expires).equals(query.get("signature")) && Instant.now().toEpochMilli() < expires;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> queryParameters(HttpExchange exchange) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                String name = java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                String value = parts.length > 1 ? java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
                parameters.merge(name, value, (a, b) -> a + "," + b);
            }
        }
        return parameters;
    }

    private record BatchJob(String id, Instant submitted, List<Map<String, Object>> results) {}

    /**
     * A batch download job: each request names a recording, or a whole conversation (every recording of it). Results
     * arrive spread over the job's duration; each carries a signed link, or an error ("transcoding", not found).
     */
    private void submitBatch(HttpExchange exchange) throws IOException {
        JsonNode submission = sdkJson.readTree(exchange.getRequestBody());
        JsonNode requests = submission.path("batchDownloadRequestList");
        if (!requests.isArray() || requests.isEmpty() || requests.size() > 100) {
            error(exchange, 400, "bad.request", "batchDownloadRequestList must hold 1 to 100 requests");
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (JsonNode request : requests) {
            String conversationId = request.path("conversationId").asText(null);
            String recordingId = request.path("recordingId").asText(null);
            SimulatedOrg.Conversation conversation = conversationId == null ? null : org.conversation(conversationId);
            if (conversation == null) {
                results.add(batchError(conversationId, recordingId, "Conversation " + conversationId + " not found"));
                continue;
            }
            for (SimulatedOrg.Recording recording : conversation.recordings()) {
                if (recordingId != null && !recordingId.equals(recording.id())
                        || liveRecording(recording.id()) == null) {
                    continue;
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("id", UUID.randomUUID().toString());
                result.put("conversationId", conversationId);
                result.put("recordingId", recording.id());
                result.put("contentType", recording.contentType());
                int injected = injectedFailure(recording);
                if (injected == 409) {
                    result.put("errorMsg", "409 Conflict: the recording is locked while its metadata is updated");
                } else if (injected == 500) {
                    result.put("errorMsg", "500 Internal Server Error");
                } else if (!archive.servesMedia(conversation, recording.id())) {
                    result.put("errorMsg", "Recording is archived; restore it before it can be downloaded");
                } else if (transcoding(recording)) {
                    result.put("errorMsg", "Recording is transcoding; try again later");
                } else {
                    result.put("resultUrl", signedLink(recording.id()));
                }
                results.add(result);
            }
            if (recordingId != null && liveRecording(recordingId) == null) {
                results.add(batchError(conversationId, recordingId, "Recording " + recordingId + " not found"));
            }
        }
        String jobId = UUID.randomUUID().toString();
        batchJobs.put(jobId, new BatchJob(jobId, Instant.now(), results));
        respond(exchange, 202, shaped(Map.of("id", jobId, "selfUri", "/api/v2/recording/batchrequests/" + jobId),
                BatchDownloadJobSubmissionResult.class));
    }

    private static Map<String, Object> batchError(String conversationId, String recordingId, String message) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", UUID.randomUUID().toString());
        if (conversationId != null) {
            result.put("conversationId", conversationId);
        }
        if (recordingId != null) {
            result.put("recordingId", recordingId);
        }
        result.put("errorMsg", message);
        return result;
    }

    /**
     * A recording bulk job ({@code POST /api/v2/recording/jobs}) as Genesys reports it afterwards: its state (FULFILLED,
     * PENDING, READY, PROCESSING, CANCELLED, FAILED), its action (EXPORT, DELETE, ARCHIVE) and the recordings it
     * failed for.
     */
    public record RecordingJob(String id, String state, String action, List<SimulatedOrg.Recording> failed,
            int totalRecordings) {

        /** A job that covered its failed recordings alone. */
        public RecordingJob(String id, String state, String action, List<SimulatedOrg.Recording> failed) {
            this(id, state, action, failed, failed.size());
        }

        RecordingJob inState(String next) {
            return new RecordingJob(id, next, action, failed, totalRecordings);
        }
    }

    private static final Set<String> RECORDING_JOB_ACTIONS = Set.of("EXPORT", "DELETE", "ARCHIVE");
    private final Map<String, Instant> recordingJobsProcessingSince = new ConcurrentHashMap<>();

    private final Map<String, RecordingJob> recordingJobs = new ConcurrentHashMap<>();

    /** A bulk job the org ran before the exporter came (the native export whose failures a rescue takes up). */
    public GenesysSimulator withRecordingJob(RecordingJob job) {
        recordingJobs.put(job.id(), job);
        return this;
    }

    /** The job, or null after answering 404 for an id Genesys does not know. */
    private RecordingJob recordingJobOr404(HttpExchange exchange, String jobId) throws IOException {
        RecordingJob job = recordingJobs.get(jobId);
        if (job == null) {
            error(exchange, 404, "not.found", "Recording job " + jobId + " not found");
        }
        return job;
    }

    /**
     * {@code POST /api/v2/recording/jobs}: a bulk job over the conversations of {@code conversationQuery.interval}. It
     * is READY at once (Genesys counts first, PENDING), and runs when {@code PUT} to PROCESSING. An EXPORT fails, as
     * Genesys's does, for every recording of a conversation under legal hold (its metadata lock answers 409) and, with
     * {@code includeScreenRecordings}, for screen recordings (they time out).
     */
    private void submitRecordingJob(HttpExchange exchange) throws IOException {
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        String action = query == null ? "" : query.path("action").asText("");
        String[] interval = query == null ? new String[0]
                : query.path("conversationQuery").path("interval").asText("").split("/");
        if (!RECORDING_JOB_ACTIONS.contains(action) || interval.length != 2 || query.path("actionDate").isMissingNode()) {
            error(exchange, 400, "bad.request", "action (EXPORT, DELETE, ARCHIVE), actionDate and"
                    + " conversationQuery.interval are required");
            return;
        }
        if (action.equals("EXPORT") && query.path("integrationId").asText("").isEmpty()) {
            error(exchange, 400, "bad.request", "an EXPORT job needs the integrationId of its AWS S3 recording"
                    + " bulk actions integration");
            return;
        }
        Instant from = Instant.parse(interval[0]);
        Instant to = Instant.parse(interval[1]);
        boolean screens = query.path("includeScreenRecordings").asBoolean(false);
        List<SimulatedOrg.Recording> covered = new ArrayList<>();
        List<SimulatedOrg.Recording> failed = new ArrayList<>();
        for (SimulatedOrg.Conversation conversation : org.conversations()) {
            if (conversation.start().isBefore(from) || !conversation.start().isBefore(to)) {
                continue;
            }
            for (SimulatedOrg.Recording recording : conversation.recordings()) {
                boolean screen = recording.media().equals("screen");
                if (screen && !screens) {
                    continue;
                }
                covered.add(recording);
                if (action.equals("EXPORT") && failsInNativeExport(conversation, recording)) {
                    failed.add(recording);
                }
            }
        }
        String jobId = UUID.randomUUID().toString();
        RecordingJob job = new RecordingJob(jobId, "READY", action, failed, covered.size());
        recordingJobs.put(jobId, job);
        respond(exchange, 202, recordingJobBody(job.inState("PENDING")));
    }

    /**
     * Whether Genesys's native EXPORT fails for this recording: every one of a conversation under legal hold (the
     * metadata lock answers 409) and every screen recording (timed out).
     */
    public static boolean failsInNativeExport(SimulatedOrg.Conversation conversation, SimulatedOrg.Recording recording) {
        return conversation.legalHold() || recording.media().equals("screen");
    }

    /** {@code PUT /api/v2/recording/jobs/{id}} {@code {"state": "PROCESSING"}} runs a READY job; it is FULFILLED soon. */
    private void executeRecordingJob(HttpExchange exchange, String jobId) throws IOException {
        RecordingJob job = recordingJobOr404(exchange, jobId);
        if (job == null) {
            return;
        }
        String state = sdkJson.readTree(exchange.getRequestBody()).path("state").asText("");
        if (!state.equals("PROCESSING") && !state.equals("CANCELLED")) {
            error(exchange, 400, "bad.request", "state must be PROCESSING or CANCELLED");
            return;
        }
        if (!job.state().equals("READY")) {
            error(exchange, 400, "bad.request", "job " + jobId + " is " + job.state() + ", not READY");
            return;
        }
        RecordingJob next = job.inState(state);
        recordingJobs.put(jobId, next);
        recordingJobsProcessingSince.put(jobId, Instant.now());
        respond(exchange, 202, recordingJobBody(next));
    }

    private void recordingJob(HttpExchange exchange, String jobId) throws IOException {
        RecordingJob job = recordingJobOr404(exchange, jobId);
        if (job == null) {
            return;
        }
        Instant since = recordingJobsProcessingSince.get(jobId);
        if (job.state().equals("PROCESSING") && since != null
                && !Instant.now().isBefore(since.plus(batchJobDuration))) {
            job = job.inState("FULFILLED");
            recordingJobs.put(jobId, job);
        }
        respond(exchange, 200, recordingJobBody(job));
    }

    private Object recordingJobBody(RecordingJob job) {
        String jobId = job.id();
        long conversations = job.failed().stream().map(SimulatedOrg.Recording::conversationId).distinct().count();
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("action", job.action());
        query.put("actionDate", iso(startedAt));
        query.put("includeScreenRecordings", true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", jobId);
        body.put("state", job.state());
        body.put("recordingJobsQuery", query);
        body.put("dateCreated", iso(startedAt));
        body.put("totalConversations", conversations);
        body.put("totalRecordings", job.totalRecordings());
        body.put("totalSkippedRecordings", 0);
        boolean done = job.state().equals("FULFILLED");
        body.put("totalFailedRecordings", done ? job.failed().size() : 0);
        body.put("totalProcessedRecordings", done ? job.totalRecordings() : 0);
        body.put("percentProgress", done ? 100 : 0);
        body.put("failedRecordings", "/api/v2/recording/jobs/" + jobId + "/failedrecordings");
        body.put("selfUri", "/api/v2/recording/jobs/" + jobId);
        return shaped(body, com.mypurecloud.sdk.v2.model.RecordingJob.class);
    }

    /** The recordings a bulk job failed for, a page at a time ({@code pageSize} at most 100, {@code pageNumber}). */
    private void failedRecordings(HttpExchange exchange, String jobId) throws IOException {
        RecordingJob job = recordingJobOr404(exchange, jobId);
        if (job == null) {
            return;
        }
        Map<String, String> parameters = queryParameters(exchange);
        int pageSize = Math.min(100, Math.max(1, Integer.parseInt(parameters.getOrDefault("pageSize", "25"))));
        int pageNumber = Math.max(1, Integer.parseInt(parameters.getOrDefault("pageNumber", "1")));
        int total = job.failed().size();
        int pageCount = Math.max(1, (total + pageSize - 1) / pageSize);
        List<Map<String, Object>> entities = new ArrayList<>();
        for (SimulatedOrg.Recording failed : job.failed().subList(Math.min(total, (pageNumber - 1) * pageSize),
                Math.min(total, pageNumber * pageSize))) {
            entities.add(Map.of(
                    "conversation", Map.of("id", failed.conversationId(),
                            "selfUri", "/api/v2/conversations/" + failed.conversationId()),
                    "recording", Map.of("id", failed.id(), "selfUri", "/api/v2/conversations/"
                            + failed.conversationId() + "/recordings/" + failed.id())));
        }
        String self = "/api/v2/recording/jobs/" + jobId + "/failedrecordings?pageSize=" + pageSize + "&pageNumber=";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entities", entities);
        body.put("pageSize", pageSize);
        body.put("pageNumber", pageNumber);
        body.put("total", total);
        body.put("firstUri", self + 1);
        body.put("selfUri", self + pageNumber);
        body.put("lastUri", self + pageCount);
        if (pageNumber < pageCount) {
            body.put("nextUri", self + (pageNumber + 1));
        }
        if (pageNumber > 1) {
            body.put("previousUri", self + (pageNumber - 1));
        }
        body.put("pageCount", pageCount);
        respond(exchange, 200, shaped(body, com.mypurecloud.sdk.v2.model.FailedRecordingEntityListing.class));
    }

    private void batchStatus(HttpExchange exchange, String jobId) throws IOException {
        BatchJob job = batchJobs.get(jobId);
        if (job == null) {
            error(exchange, 404, "not.found", "Batch request " + jobId + " not found");
            return;
        }
        int total = job.results().size();
        long elapsed = java.time.Duration.between(job.submitted(), Instant.now()).toMillis();
        long duration = Math.max(1, batchJobDuration.toMillis());
        int ready = (int) Math.min(total, total * elapsed / duration);
        List<Map<String, Object>> done = job.results().subList(0, ready);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", jobId);
        body.put("jobId", jobId);
        body.put("expectedResultCount", total);
        body.put("resultCount", ready);
        body.put("errorCount", (int) done.stream().filter(r -> r.containsKey("errorMsg")).count());
        body.put("results", done);
        body.put("selfUri", "/api/v2/recording/batchrequests/" + jobId);
        respond(exchange, 200, shaped(body, BatchDownloadJobStatusResult.class));
    }

    /** {@code GET /api/v2/analytics/conversations/details?id=a,b}: conversations analytics knows, without attributes. */
    private void conversationMultiGet(HttpExchange exchange) throws IOException {
        String ids = queryParameters(exchange).getOrDefault("id", "");
        List<Map<String, Object>> found = new ArrayList<>();
        for (String id : ids.split(",")) {
            SimulatedOrg.Conversation conversation = org.conversation(id.trim());
            if (conversation != null) {
                found.add(analyticsConversation(conversation, false));
            }
        }
        respond(exchange, 200, shaped(Map.of("conversations", found), AnalyticsConversationWithoutAttributesMultiGetResponse.class));
    }

    private record DetailsJob(String id, Instant submitted, List<SimulatedOrg.Conversation> conversations) {}

    /** An async details job over an interval: recorded conversations that started in it, ordered by start. */
    private void submitDetailsJob(HttpExchange exchange) throws IOException {
        JsonNode query = sdkJson.readTree(exchange.getRequestBody());
        String[] interval = query.path("interval").asText("").split("/");
        if (interval.length != 2) {
            error(exchange, 400, "bad.request", "interval must be start/end in ISO-8601");
            return;
        }
        Instant from = Instant.parse(interval[0]);
        Instant to = Instant.parse(interval[1]);
        detailsJobIntervals.add(query.path("interval").asText());
        List<SimulatedOrg.Conversation> matching = org.conversations().stream()
                .filter(c -> !c.start().isBefore(from) && c.start().isBefore(to) && !c.recordings().isEmpty())
                .sorted((a, b) -> a.start().compareTo(b.start()))
                .toList();
        String jobId = UUID.randomUUID().toString();
        detailsJobs.put(jobId, new DetailsJob(jobId, Instant.now(), matching));
        respond(exchange, 202, shaped(Map.of("jobId", jobId), AsyncQueryResponse.class));
    }

    private void detailsJobStatus(HttpExchange exchange, String jobId) throws IOException {
        DetailsJob job = detailsJobs.get(jobId);
        if (job == null) {
            error(exchange, 404, "not.found", "Job " + jobId + " not found");
            return;
        }
        boolean done = !Instant.now().isBefore(job.submitted().plus(detailsJobDuration));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("state", done ? "FULFILLED" : "QUEUED");
        body.put("submissionDate", iso(job.submitted()));
        if (done) {
            body.put("completionDate", iso(job.submitted().plus(detailsJobDuration)));
        }
        body.put("expirationDate", iso(job.submitted().plus(java.time.Duration.ofDays(1))));
        respond(exchange, 200, shaped(body, AsyncQueryStatus.class));
    }

    private void detailsJobResults(HttpExchange exchange, String jobId) throws IOException {
        DetailsJob job = detailsJobs.get(jobId);
        if (job == null || Instant.now().isBefore(job.submitted().plus(detailsJobDuration))) {
            error(exchange, 404, "not.found", "Job " + jobId + " has no results (yet)");
            return;
        }
        Map<String, String> query = queryParameters(exchange);
        int from = query.containsKey("cursor") && !query.get("cursor").isBlank() ? Integer.parseInt(query.get("cursor")) : 0;
        int pageSize = Integer.parseInt(query.getOrDefault("pageSize", "1000"));
        int to = Math.min(job.conversations().size(), from + pageSize);
        List<Map<String, Object>> page = new ArrayList<>();
        for (SimulatedOrg.Conversation conversation : job.conversations().subList(from, to)) {
            page.add(analyticsConversation(conversation, true));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversations", page);
        if (to < job.conversations().size()) {
            body.put("cursor", Integer.toString(to));
        }
        body.put("dataAvailabilityDate", iso(Instant.now()));
        respond(exchange, 200, shaped(body, AnalyticsConversationAsyncQueryResponse.class));
    }

    /**
     * A conversation as analytics reports it: a customer and an agent, each with a session of the conversation's
     * media (and a screen-share session when the agent's screen was recorded). With attributes, the customer carries
     * the participant data a flow set, {@code legalHold} among them.
     */
    private Map<String, Object> analyticsConversation(SimulatedOrg.Conversation conversation, boolean withAttributes) {
        String mediaType = switch (conversation.kind()) {
            case "voice" -> "voice";
            case "chat" -> "chat";
            case "sms" -> "message";
            default -> "email";
        };
        Map<String, Object> customerSession = new LinkedHashMap<>();
        customerSession.put("mediaType", mediaType);
        customerSession.put("sessionId", UUID.nameUUIDFromBytes((conversation.id() + "c").getBytes(StandardCharsets.UTF_8)).toString());
        customerSession.put("recording", Boolean.TRUE);
        if (conversation.kind().equals("sms")) {
            customerSession.put("messageType", "sms");
        }
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("participantId", participantId(conversation, "customer"));
        customer.put("purpose", "customer");
        customer.put("sessions", List.of(customerSession));
        if (withAttributes) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("queueName", "Support");
            if (conversation.legalHoldAttribute()) {
                attributes.put("legalHold", "true");
            }
            customer.put("attributes", attributes);
        }
        List<Map<String, Object>> agentSessions = new ArrayList<>();
        agentSessions.add(Map.of("mediaType", mediaType, "recording", Boolean.TRUE,
                "sessionId", UUID.nameUUIDFromBytes((conversation.id() + "a").getBytes(StandardCharsets.UTF_8)).toString()));
        if (conversation.recordings().stream().anyMatch(r -> r.media().equals("screen"))) {
            agentSessions.add(Map.of("mediaType", "screenshare", "recording", Boolean.TRUE,
                    "sessionId", UUID.nameUUIDFromBytes((conversation.id() + "s").getBytes(StandardCharsets.UTF_8)).toString()));
        }
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("participantId", participantId(conversation, "agent"));
        agent.put("purpose", "agent");
        agent.put("sessions", agentSessions);
        if (withAttributes) {
            agent.put("attributes", Map.of());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversationId", conversation.id());
        body.put("conversationStart", iso(conversation.start()));
        body.put("conversationEnd", iso(conversation.end()));
        body.put("originatingDirection", "inbound");
        body.put("participants", List.of(customer, agent));
        return body;
    }

    private void serveMedia(HttpExchange exchange, String recordingId) throws IOException {
        SimulatedOrg.Recording recording = liveRecording(recordingId);
        if (recording == null) {
            error(exchange, 404, "not.found", "no media");
            return;
        }
        if (!linkValid(exchange, recordingId)) {
            mediaLinksRefused.incrementAndGet();
            byte[] denied = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(403, denied.length);
            exchange.getResponseBody().write(denied);
            return;
        }
        mediaDownloads.incrementAndGet();
        MediaTrap trap = mediaTraps.get(recordingId);
        if (trap != null && trap != MediaTrap.OTHER_HOST) {
            serveTrap(exchange, recording, trap);
            return;
        }
        maybeSlow();
        exchange.getResponseHeaders().set("Content-Type", recording.contentType());
        exchange.sendResponseHeaders(200, recording.sizeBytes());
        if (faults.on("drop") && Math.floorMod(recording.contentSeed(), 10) == 3 && droppedOnce.add(recording.id())) {
            // the connection drops halfway: the client gets fewer bytes than Content-Length announced
            try (InputStream in = recording.open()) {
                exchange.getResponseBody().write(in.readNBytes((int) Math.min(recording.sizeBytes() / 2, 1 << 20)));
                exchange.getResponseBody().flush();
            }
            throw new DroppedConnection("sandbox fault 'drop': connection cut after half of recording " + recording.id());
        }
        try (InputStream in = recording.open(); OutputStream out = exchange.getResponseBody()) {
            if (mediaPace.isZero()) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
            } else {
                paced(in, out, recording.sizeBytes());
            }
        }
    }

    private void serveTrap(HttpExchange exchange, SimulatedOrg.Recording recording, MediaTrap trap) throws IOException {
        switch (trap) {
            case REDIRECT_TO_OTHER_HOST -> {
                exchange.getResponseHeaders().set("Location", otherHostBaseUrl() + exchange.getRequestURI());
                exchange.sendResponseHeaders(302, -1);
            }
            case STALL -> {
                exchange.getResponseHeaders().set("Content-Type", recording.contentType());
                exchange.sendResponseHeaders(200, recording.sizeBytes());
                try (InputStream in = recording.open()) {
                    exchange.getResponseBody().write(in.readNBytes(1024));
                    exchange.getResponseBody().flush();
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new DroppedConnection("media trap: recording " + recording.id() + " stalled");
            }
            case OVERSIZED -> {
                exchange.getResponseHeaders().set("Content-Type", recording.contentType());
                exchange.sendResponseHeaders(200, 0); // chunked: no length announced
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < 1024; i++) {
                    exchange.getResponseBody().write(block);
                }
                exchange.getResponseBody().close();
            }
            default -> throw new IllegalStateException("not a served trap: " + trap);
        }
    }

    private static final long SLICE_MILLIS = 500;

    /** The body in slices every half second, so that the whole takes {@link #mediaPace}. */
    private void paced(InputStream in, OutputStream out, long size) throws IOException {
        long slices = Math.max(1, mediaPace.toMillis() / SLICE_MILLIS);
        int slice = (int) Math.max(1, (size + slices - 1) / slices);
        for (byte[] bytes = in.readNBytes(slice); bytes.length > 0; bytes = in.readNBytes(slice)) {
            out.write(bytes);
            out.flush();
            try {
                Thread.sleep(SLICE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while serving media", e);
            }
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
