package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.recordingexporter.ExporterBeans;
import io.recordingexporter.VerifierSources;
import io.recordingexporter.discovery.ConversationPoll;
import io.recordingexporter.intake.IntakeReceipt;
import io.recordingexporter.ledger.BulkRescues;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.verification.ExportVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The sandbox: the exporter against a simulated Genesys org, an S3 server under {@code ./data/s3} and a ServiceNow
 * sink, all in this JVM on loopback. The simulator fires one webhook per conversation, as a Genesys trigger would; the
 * sandbox shows progress, and once the backlog is drained it reads every stored object back, checks its SHA-256
 * against the simulator's media and the ledger, prints a summary and writes {@code data/sandbox-summary.json}.
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    public static final String BUCKET = "recordings";
    public static final String CLIENT_ID = "sandbox-client";
    public static final String CLIENT_SECRET = "sandbox-secret";
    public static final String DEFAULT_WEBHOOK_TOKEN = "sandbox-webhook-token";
    public static final String DEFAULT_READ_TOKEN = "sandbox-read-token";
    private static final long DEFAULT_SEED = 20261123L;

    /**
     * The sandbox knobs, from the environment (SANDBOX_*). By default the webhook says nothing about legal hold, as a
     * Genesys trigger's event does not; {@code webhookCarriesHold} makes it pass the participant attribute on, as a
     * workflow written for it would.
     */
    public record Options(int conversations, long seed, String intake, SandboxFaults faults,
            SimulatedOrg.MediaSizes sizes, String webhookToken, boolean webhookCarriesHold, Duration lateScreenDelay) {

        public Options(int conversations, long seed, String intake, SandboxFaults faults, SimulatedOrg.MediaSizes sizes,
                String webhookToken) {
            this(conversations, seed, intake, faults, sizes, webhookToken, false,
                    GenesysSimulator.DEFAULT_LATE_SCREEN_DELAY);
        }

        /** The same options with late screen recordings listed {@code delay} after their webhook. */
        public Options withLateScreenDelay(Duration delay) {
            return new Options(conversations, seed, intake, faults, sizes, webhookToken, webhookCarriesHold, delay);
        }

        public static Options fromEnvironment() {
            // SANDBOX_BULK_JOB=true: the org's native bulk export ran and failed for some recordings; its rescue is
            // the only intake
            String intake = Boolean.parseBoolean(env("SANDBOX_BULK_JOB", "false")) ? BULK_JOB
                    : env("SANDBOX_INTAKE", "webhook");
            if (!intake.equals("webhook") && !intake.equals("poll") && !intake.equals(BULK_JOB)) {
                throw new IllegalArgumentException("SANDBOX_INTAKE=" + intake
                        + " is not an intake: use webhook (a webhook per conversation, plus the reconcile poll) or poll"
                        + " (no webhooks: the poll alone)");
            }
            SandboxFaults faults = SandboxFaults.parse(env("SANDBOX_FAULTS", ""), Instant.now(),
                    Duration.ofSeconds(Long.parseLong(env("SANDBOX_FAULT_WINDOW_SECONDS", "40"))));
            return new Options(Integer.parseInt(env("SANDBOX_CONVERSATIONS", "200")),
                    Long.parseLong(env("SANDBOX_SEED", Long.toString(DEFAULT_SEED))), intake, faults,
                    SimulatedOrg.MediaSizes.REALISTIC.withOneLargeScreen(
                            Long.parseLong(env("SANDBOX_LARGE_SCREEN_MIB", "0")) * 1024 * 1024),
                    env("EXPORTER_WEBHOOK_TOKEN", DEFAULT_WEBHOOK_TOKEN),
                    Boolean.parseBoolean(env("SANDBOX_WEBHOOK_CARRIES_HOLD", "false")),
                    Duration.ofSeconds(Long.parseLong(env("SANDBOX_LATE_SCREEN_SECONDS",
                            Long.toString(GenesysSimulator.DEFAULT_LATE_SCREEN_DELAY.toSeconds())))));
        }
    }

    /** The intake of SANDBOX_BULK_JOB=true: no webhooks, no poll, the rescue of the org's finished bulk job. */
    static final String BULK_JOB = "bulk-job";

    private final Options options;
    private final Path dataDir;
    private final SimulatedOrg org;
    private final GenesysSimulator genesys;
    private final SandboxS3 s3;
    private final ServiceNowSink serviceNow;
    private final TcpRelay s3Relay;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final AtomicInteger webhooksAccepted = new AtomicInteger();
    private final Map<URI, AtomicInteger> webhooksByTarget = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean webhooksDone;
    private volatile SandboxBulkJob.Rescued bulkJob;

    private Sandbox(Options options, Path dataDir, SimulatedOrg org, GenesysSimulator genesys, SandboxS3 s3,
            ServiceNowSink serviceNow, TcpRelay s3Relay) {
        this.s3Relay = s3Relay;
        this.options = options;
        this.dataDir = dataDir;
        this.org = org;
        this.genesys = genesys;
        this.s3 = s3;
        this.serviceNow = serviceNow;
    }

    public static Sandbox start(Options options, Path dataDir) throws Exception {
        // dates derive from the seed, not the clock: a rerun describes the same org, so the same S3 keys
        SimulatedOrg org = SimulatedOrg.generate(options.seed(), options.conversations(),
                Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(Math.floorMod(options.seed(), 300))),
                options.sizes());
        GenesysSimulator genesys = new GenesysSimulator(org, CLIENT_ID, CLIENT_SECRET, 0).withFaults(options.faults())
                .withLateScreenDelay(options.lateScreenDelay()).start();
        if (archivePolicy()) {
            // the org's archive policy: conversations older than SANDBOX_ARCHIVE_AFTER_DAYS before its newest one
            Instant newest = org.conversations().stream().map(SimulatedOrg.Conversation::start)
                    .max(Instant::compareTo).orElse(Instant.now());
            genesys.withArchive(newest.minus(Duration.ofDays(Long.parseLong(env("SANDBOX_ARCHIVE_AFTER_DAYS", "0")))),
                    Duration.ofSeconds(Long.parseLong(env("SANDBOX_RESTORE_SECONDS", "20"))),
                    Integer.parseInt(env("SANDBOX_RESTORATIONS", "1000")));
        }
        SandboxS3 s3 = SandboxS3.start(dataDir.resolve("s3"), BUCKET, freePort());
        TcpRelay s3Relay = options.faults().on("s3-down") ? s3Outage(s3, options.faults()) : null;
        ServiceNowSink serviceNow = new ServiceNowSink(0).withFaults(options.faults()).start();
        // the AWS SDK's default credential chain reads these: the exporter's S3 code is the same as in production
        System.setProperty("aws.accessKeyId", SandboxS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SandboxS3.SECRET_KEY);
        return new Sandbox(options, dataDir, org, genesys, s3, serviceNow, s3Relay);
    }

    /** {@code s3-down}: the exporter reaches S3 through a relay that is cut for one fault window, mid-run. */
    private static TcpRelay s3Outage(SandboxS3 s3, SandboxFaults faults) throws IOException {
        TcpRelay relay = new TcpRelay(freePort(), URI.create(s3.endpoint()).getPort());
        java.util.concurrent.ScheduledExecutorService outage = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sandbox-s3-outage");
            thread.setDaemon(true);
            return thread;
        });
        long downAt = Math.max(0, Duration.between(Instant.now(), faults.since().plus(faults.window().dividedBy(2))).toMillis());
        outage.schedule(() -> {
            try {
                relay.cut();
                LOG.warn("Sandbox fault s3-down: S3 unreachable for {} s", faults.window().toSeconds());
            } catch (IOException e) {
                LOG.warn("s3-down could not cut the relay: {}", e.getMessage());
            }
        }, downAt, java.util.concurrent.TimeUnit.MILLISECONDS);
        outage.schedule(() -> {
            try {
                relay.restore();
                LOG.warn("Sandbox fault s3-down: S3 reachable again");
            } catch (IOException e) {
                LOG.warn("s3-down could not restore the relay: {}", e.getMessage());
            }
        }, downAt + faults.window().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return relay;
    }

    /** Property overrides that point the exporter at the simulated parts, the ServiceNow sink and the org's history. */
    public Map<String, String> exporterProperties() {
        String s3Endpoint = s3Relay == null ? s3.endpoint() : "http://127.0.0.1:" + s3Relay.port();
        Map<String, String> properties = new SimulatedParts(genesys.baseUrl(), CLIENT_ID, CLIENT_SECRET, s3Endpoint,
                BUCKET, options.webhookToken(), readToken()).exporterProperties();
        // loopback unless told otherwise: the sandbox's tokens are printed on its banner
        properties.put("camel.server.host", env("EXPORTER_HTTP_HOST", "127.0.0.1"));
        properties.put("camel.management.host", env("EXPORTER_MANAGEMENT_HOST", "127.0.0.1"));
        properties.put("servicenow.instance-url", serviceNow.baseUrl());
        properties.put("servicenow.username", "sandbox");
        properties.put("servicenow.password", "sandbox");
        // the reconcile poll runs in both intakes (a rescue takes in what the job failed for, and nothing else); its
        // first run reaches back to the org's first conversation
        properties.put("exporter.poll.enabled", Boolean.toString(!bulkJobIntake()));
        properties.put("exporter.poll.cron", "0/20 * * * * ?");
        long lookbackHours = pollLookbackHours();
        properties.put("exporter.poll.initial-lookback-hours", Long.toString(lookbackHours));
        properties.put("exporter.poll.max-window-hours", Long.toString(lookbackHours));
        properties.put("genesys.batch-download.link-lifetime-seconds", Long.toString(genesys.linkLifetime().toSeconds()));
        if (archivePolicy()) {
            // a restoring recording is looked at again within seconds, as the simulator restores in seconds
            properties.put("exporter.retry.archived.base-delay-ms", "2000");
            properties.put("exporter.retry.archived.max-delay-ms", "10000");
        }
        return properties;
    }

    /** SANDBOX_ARCHIVE_AFTER_DAYS is set: the simulated org archives its older recordings. */
    private static boolean archivePolicy() {
        return !env("SANDBOX_ARCHIVE_AFTER_DAYS", "").isEmpty();
    }

    /** How far back the first reconcile poll must look, in one window, to reach the org's first conversation. */
    long pollLookbackHours() {
        Instant firstStart = org.conversations().stream().map(SimulatedOrg.Conversation::start).min(Instant::compareTo)
                .orElse(Instant.now());
        return Duration.between(firstStart, Instant.now()).toHours() + 2;
    }

    /** The read endpoints' token: EXPORTER_READ_TOKEN, else the sandbox's own. */
    public static String readToken() {
        return env("EXPORTER_READ_TOKEN", DEFAULT_READ_TOKEN);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public SimulatedOrg org() {
        return org;
    }

    public GenesysSimulator genesys() {
        return genesys;
    }

    /** The sandbox's S3 server (S3Proxy over {@code data/s3}). */
    public String s3Endpoint() {
        return s3.endpoint();
    }

    public MainListener listener(MainSupport main, boolean exitWhenIdle) {
        return new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                Thread runner = new Thread(() -> run(started.getCamelContext(), main, exitWhenIdle), "sandbox");
                runner.setDaemon(true);
                runner.start();
            }
        };
    }

    private void run(CamelContext context, MainSupport main, boolean exitWhenIdle) {
        try {
            String port = context.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080");
            String webhookUrl = "http://127.0.0.1:" + port + "/webhooks/genesys";
            banner(webhookUrl, context);
            Instant started = Instant.now();
            if (bulkJobIntake()) {
                rescueBulkJob(URI.create(webhookUrl.replace("/webhooks/genesys", "/rescues")));
            } else {
                startWebhooks(List.of(URI.create(webhookUrl)));
            }
            Ledger ledger = context.getRegistry().lookupByNameAndType("ledger", Ledger.class);
            LedgerStatistics statistics = new LedgerStatistics(ledger.store());
            LedgerCounts counts = awaitIdle(statistics, ledger, started);
            long callsForBacklog = genesys.apiCalls();
            // a further poll must find nothing new: discovery is idempotent (a rescue run has no poll)
            ConversationPoll poll = context.getRegistry().lookupByNameAndType("conversationPoll", ConversationPoll.class);
            IntakeReceipt again = bulkJobIntake() ? IntakeReceipt.empty("poll") : pollAgain(poll);
            Map<String, Object> summary = summary(context, counts, Duration.between(started, Instant.now()),
                    statistics.laneSeconds(started), ledger, callsForBacklog, again);
            printSummary(summary);
            Files.createDirectories(dataDir);
            json.writeValue(dataDir.resolve("sandbox-summary.json").toFile(), summary);
            System.out.println("Summary written to " + dataDir.resolve("sandbox-summary.json"));
            scrapeMetrics(context);
            if (exitWhenIdle) {
                main.completed();
            } else {
                System.out.println("Backlog exported. Still serving: try the webhook and " + "/observe/metrics; Ctrl-C stops.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (context.isStopping() || context.isStopped()) {
                LOG.info("Sandbox stopped before the summary: the service is shutting down");
                return;
            }
            LOG.error("Sandbox run failed", e);
            if (exitWhenIdle) {
                main.completed();
            }
        }
    }

    /**
     * What Prometheus would scrape at the end of the run, in {@code data/sandbox-metrics.prom}: the ledger gauges are
     * read again first, so they show the end state rather than the last scheduled read.
     */
    private void scrapeMetrics(CamelContext context) {
        String management = context.getPropertiesComponent().resolveProperty("camel.management.port").orElse("8081");
        try {
            context.getRegistry().lookupByNameAndType("operationsGauges", io.recordingexporter.metrics.OperationsGauges.class)
                    .refresh();
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + management + "/observe/metrics")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            Files.writeString(dataDir.resolve("sandbox-metrics.prom"), scrape.body());
            System.out.println("Metrics at the end written to " + dataDir.resolve("sandbox-metrics.prom"));
        } catch (IOException e) {
            LOG.warn("The metrics could not be scraped at the end: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void banner(String webhookUrl, CamelContext context) {
        String management = context.getPropertiesComponent().resolveProperty("camel.management.port").orElse("8081");
        System.out.printf("%n=== Recording Exporter sandbox ===%n"
                + "simulated Genesys org : %d conversations, %d recordings (seed %d) at %s%n"
                + "S3 (S3Proxy)          : %s, bucket '%s', files under %s%n"
                + "ServiceNow sink       : %s%n"
                + "webhook               : curl -X POST %s -H 'Authorization: Bearer %s' \\%n"
                + "                          -H 'Content-Type: application/json' -d '{\"conversationId\": \"<uuid>\"}'%n"
                + "custody of one        : curl %s/conversations/<uuid> -H 'Authorization: Bearer %s'%n"
                + "metrics               : http://127.0.0.1:%s/observe/metrics%n%n",
                org.conversations().size(), org.recordingCount(), options.seed(), genesys.baseUrl(), s3.endpoint(),
                BUCKET, dataDir.resolve("s3").toAbsolutePath(), serviceNow.baseUrl(), webhookUrl,
                options.webhookToken(), webhookUrl.replace("/webhooks/genesys", ""), readToken(), management);
    }

    /**
     * With SANDBOX_INTAKE=webhook, fires one webhook per conversation in the background, spread over {@code targets}
     * (replicas behind a load balancer); with poll, none.
     */
    void startWebhooks(List<URI> targets) {
        if (options.intake().equals("webhook")) {
            Thread firing = new Thread(() -> fireWebhooks(targets), "sandbox-webhooks");
            firing.setDaemon(true);
            firing.start();
        } else {
            webhooksDone = true;
            System.out.println("SANDBOX_INTAKE=poll: no webhooks; the reconcile poll alone discovers the org");
        }
    }

    private boolean bulkJobIntake() {
        return options.intake().equals(BULK_JOB);
    }

    /**
     * SANDBOX_BULK_JOB=true: the org's native export over all its conversations, failed for the legal-hold and screen
     * recordings, then the exporter's rescue of it.
     */
    private void rescueBulkJob(URI rescues) throws Exception {
        Instant first = org.conversations().stream().map(SimulatedOrg.Conversation::start).min(Instant::compareTo)
                .orElse(Instant.now());
        SandboxBulkJob.Rescued rescued = new SandboxBulkJob(genesys.baseUrl(), CLIENT_ID, CLIENT_SECRET)
                .exportThenRescue(first, Instant.now().plus(Duration.ofDays(1)), rescues, options.webhookToken());
        System.out.printf("SANDBOX_BULK_JOB: the org's bulk export job %s finished: %d recordings, %d failed (the"
                + " legal-hold and screen ones). POST /rescues took in %d conversations (queued %s)%n",
                rescued.jobId(), rescued.totalRecordings(), rescued.failedRecordings(), rescued.conversations(),
                rescued.reply().path("queued").asText());
        bulkJob = rescued;
        webhooksAccepted.set(rescued.conversations());
        webhooksDone = true;
    }

    /** The recordings this run must export: the whole org's, or those its native bulk export failed for. */
    private boolean expected(SimulatedOrg.Conversation conversation, SimulatedOrg.Recording recording) {
        return !bulkJobIntake() || GenesysSimulator.failsInNativeExport(conversation, recording);
    }

    private long expectedRecordings() {
        return org.conversations().stream().mapToLong(conversation -> conversation.recordings().stream()
                .filter(recording -> expected(conversation, recording)).count()).sum();
    }

    /** Shows progress every 2 s until the backlog is exported; the last counts. */
    LedgerCounts awaitIdle(LedgerStatistics statistics, Ledger ledger, Instant started) throws InterruptedException {
        while (true) {
            Thread.sleep(2000);
            LedgerCounts counts = statistics.counts();
            progress(counts, started);
            if (idle(counts, ledger)) {
                return counts;
            }
        }
    }

    /**
     * One webhook per conversation, as a Genesys trigger would send, the n-th to the n-th target in turn; retried like
     * Genesys retries a failed call, each retry to the next target (as a load balancer skips a replica that is gone).
     */
    private void fireWebhooks(List<URI> targets) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            int n = 0;
            for (SimulatedOrg.Conversation conversation : org.conversations()) {
                int first = n++;
                senders.submit(() -> postWebhook(http, targets, first, conversation));
            }
        } finally {
            senders.shutdown();
            try {
                senders.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            webhooksDone = true;
        }
    }

    private void postWebhook(HttpClient http, List<URI> targets, int first, SimulatedOrg.Conversation conversation) {
        String body = "{\"topicName\": \"v2.detail.events.conversation." + conversation.id() + ".customer.end\","
                + " \"version\": \"2\", \"eventBody\": {\"conversationId\": \"" + conversation.id() + "\""
                // a trigger's event says nothing of the hold; a workflow written to may pass the participant attribute on
                + (options.webhookCarriesHold() && conversation.legalHoldAttribute() ? ", \"legalHold\": true" : "")
                + "},"
                + " \"metadata\": {\"CorrelationId\": \"" + java.util.UUID.randomUUID() + "\"}}";
        genesys.conversationEnded(conversation.id());
        for (int attempt = 1; attempt <= 10; attempt++) {
            URI target = targets.get((first + attempt - 1) % targets.size());
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + options.webhookToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    webhooksAccepted.incrementAndGet();
                    webhooksByTarget.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
                    return;
                }
                LOG.warn("Webhook for {} answered {}: {}", conversation.id(), response.statusCode(), response.body());
            } catch (IOException e) {
                LOG.warn("Webhook for {} failed: {}", conversation.id(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(1000L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Drained: every webhook sent and recorded, the poll has covered the org once, nothing is open, and no conversation
     * still waits for a recording its sessions promise (a late screen recording).
     */
    private boolean idle(LedgerCounts counts, Ledger ledger) {
        long open = counts.conversations("PENDING") + counts.conversations("IN_PROGRESS")
                + counts.recordings("PENDING") + counts.recordings("IN_PROGRESS") + counts.recordings("DEFERRED")
                + counts.conversationsAwaitingMedia();
        return webhooksDone && counts.conversations() >= webhooksAccepted.get() && open == 0
                && (bulkJobIntake() || ledger.watermarks().watermark(ConversationPoll.WATERMARK) != null)
                && counts.conversations() > 0;
    }

    /** Webhooks each target accepted. */
    int webhooksAcceptedBy(URI target) {
        AtomicInteger accepted = webhooksByTarget.get(target);
        return accepted == null ? 0 : accepted.get();
    }

    public ServiceNowSink serviceNow() {
        return serviceNow;
    }

    Options options() {
        return options;
    }

    private void progress(LedgerCounts counts, Instant started) {
        long stored = counts.recordings("STORED");
        long bytes = ExporterBeans.LANES.stream().mapToLong(lane -> counts.bytes(lane, "STORED")).sum();
        System.out.printf("[sandbox %4ds] conversations %d/%d expanded | recordings stored %d/%d (%d MB) | failed %d"
                        + " | waiting to retry %d | awaiting late recordings %d%n",
                Duration.between(started, Instant.now()).toSeconds(), counts.conversations("EXPANDED"),
                org.conversations().size(), stored, expectedRecordings(), bytes / 1_000_000,
                counts.recordings("FAILED"), counts.recordings("DEFERRED"), counts.conversationsAwaitingMedia());
    }

    /**
     * The check poll after the backlog, tried a few times: with SANDBOX_FAULTS=rate-429 the simulator may refuse it
     * like any other call, and the service's own poll would simply run again later.
     */
    private static IntakeReceipt pollAgain(ConversationPoll poll) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return poll.pollOnce();
            } catch (com.mypurecloud.sdk.v2.ApiException e) {
                if (attempt == 5) {
                    throw e;
                }
                System.out.println("[sandbox] check poll refused (HTTP " + e.getStatusCode() + "), trying again");
                Thread.sleep(3000);
            }
        }
    }

    private Map<String, Object> summary(CamelContext context, LedgerCounts counts, Duration elapsed,
            Map<String, Double> laneSeconds, Ledger ledger, long callsForBacklog, IntakeReceipt secondPoll)
            throws Exception {
        Map<String, Object> summary = summary(context, counts, elapsed, laneSeconds, ledger);
        summary.put("intake", options.intake());
        summary.put("faults", options.faults().enabled());
        summary.put("genesysApiCallsForBacklog", callsForBacklog);
        summary.put("genesysApiCallsByEndpoint", genesys.callsByEndpoint());
        summary.put("mediaLinksRefused", genesys.mediaLinksRefused());
        summary.put("mostGenesysCallsForOneRecording",
                genesys.callsByRecording().values().stream().mapToLong(Long::longValue).max().orElse(0));
        summary.put("secondPollNewConversations", secondPoll.accepted());
        SandboxBulkJob.Rescued rescued = bulkJob;
        if (rescued != null) {
            BulkRescues.RescueProgress progress = ledger.rescues().progress(rescued.jobId());
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("id", rescued.jobId());
            job.put("recordings", rescued.totalRecordings());
            job.put("failedRecordings", rescued.failedRecordings());
            Map<String, Object> rescue = new LinkedHashMap<>();
            rescue.put("found", progress.found());
            rescue.put("queued", progress.queued());
            rescue.put("stored", progress.stored());
            rescue.put("failed", progress.failed());
            rescue.put("waiting", progress.waiting());
            job.put("rescue", rescue);
            summary.put("bulkJob", job);
        }
        return summary;
    }

    private Map<String, Object> summary(CamelContext context, LedgerCounts counts, Duration elapsed,
            Map<String, Double> laneSeconds, Ledger ledger) throws Exception {
        return summary(counts, elapsed, laneSeconds, verify(context, ledger));
    }

    /** The figures every sandbox run reports, the cluster's too; {@code verification} as the run checked it. */
    Map<String, Object> summary(LedgerCounts counts, Duration elapsed, Map<String, Double> laneSeconds,
            Map<String, Object> verification) {
        Map<String, Object> summary = new LinkedHashMap<>();
        long recordings = expectedRecordings();
        summary.put("conversations", org.conversations().size());
        summary.put("recordings", recordings);
        summary.put("stored", counts.recordings("STORED"));
        summary.put("failed", counts.recordings("FAILED"));
        summary.put("deferred", counts.recordings("DEFERRED"));
        summary.put("bytes", ExporterBeans.LANES.stream().mapToLong(lane -> counts.bytes(lane, "STORED")).sum());
        summary.put("seconds", Math.round(elapsed.toMillis() / 100.0) / 10.0);
        summary.put("genesysApiCalls", genesys.apiCalls());
        summary.put("genesysApiCallsPerRecording", recordings == 0 ? 0 : Math.round(1000.0 * genesys.apiCalls() / recordings) / 1000.0);
        summary.put("http429", genesys.http429());
        summary.put("incidents", serviceNow.incidents().size());
        Map<String, Object> lanes = new LinkedHashMap<>();
        for (String lane : ExporterBeans.LANES) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("found", counts.foundIn(lane));
            figures.put("stored", counts.recordings(lane, "STORED"));
            figures.put("failed", counts.recordings(lane, "FAILED"));
            figures.put("bytes", counts.bytes(lane, "STORED"));
            figures.put("seconds", laneSeconds.getOrDefault(lane, 0.0));
            lanes.put(lane, figures);
        }
        summary.put("lanes", lanes);
        summary.put("verification", verification);
        return summary;
    }

    /**
     * The export read back by the service's own verifier over the whole org (every conversation the ledger has), then
     * compared with what the simulator served ({@link SandboxVerification}).
     */
    private Map<String, Object> verify(CamelContext context, Ledger ledger) throws Exception {
        S3Client s3Client = context.getRegistry().lookupByNameAndType("s3Client", S3Client.class);
        try (VerifierSources service = VerifierSources.of(ExporterBeans.settings(context));
                Connection connection = service.readOnlyLedger()) {
            ExportVerifier.Report exported = new ExportVerifier(connection, s3Client, BUCKET, service.auditDir(), false)
                    .between(Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)));
            return SandboxVerification.of(org, this::expected, ledger, exported);
        }
    }

    @SuppressWarnings("unchecked")
    static void printSummary(Map<String, Object> summary) {
        System.out.printf("%n%-18s %8s %8s %8s %12s %10s%n", "lane", "found", "stored", "failed", "MB", "seconds");
        Map<String, Map<String, Object>> lanes = (Map<String, Map<String, Object>>) summary.get("lanes");
        lanes.forEach((lane, figures) -> System.out.printf("%-18s %8s %8s %8s %12.1f %10s%n", lane, figures.get("found"),
                figures.get("stored"), figures.get("failed"), ((Number) figures.get("bytes")).longValue() / 1e6,
                figures.get("seconds")));
        System.out.printf("%-18s %8s %8s %8s %12.1f %10s%n", "total", summary.get("recordings"), summary.get("stored"),
                summary.get("failed"), ((Number) summary.get("bytes")).longValue() / 1e6, summary.get("seconds"));
        System.out.printf("time %ss | Genesys API calls %s (%s per recording) | 429s %s | incidents %s | verification %s%n%n",
                summary.get("seconds"), summary.get("genesysApiCalls"), summary.get("genesysApiCallsPerRecording"),
                summary.get("http429"), summary.get("incidents"), summary.get("verification"));
        if (summary.get("bulkJob") instanceof Map<?, ?> job) {
            System.out.printf("bulk job %s: %s recordings, %s failed; rescue %s%n%n", job.get("id"), job.get("recordings"),
                    job.get("failedRecordings"), job.get("rescue"));
        }
    }

    /** A loopback port nobody listens on now (for the embedded servers, and for tests). */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        genesys.close();
        serviceNow.close();
        if (s3Relay != null) {
            s3Relay.close();
        }
        s3.close();
    }
}
