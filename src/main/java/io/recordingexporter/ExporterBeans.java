package io.recordingexporter;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recordingexporter.custody.AuditDigests;
import io.recordingexporter.custody.AuditShipper;
import io.recordingexporter.custody.AuditTrail;
import io.recordingexporter.custody.ConditionalWrites;
import io.recordingexporter.custody.CustodyWriter;
import io.recordingexporter.custody.HeldSidecars;
import io.recordingexporter.custody.ObjectEncryption;
import io.recordingexporter.custody.ObjectLegalHolds;
import io.recordingexporter.custody.ObjectLock;
import io.recordingexporter.custody.S3KeyLayout;
import io.recordingexporter.custody.ServerChecksum;
import io.recordingexporter.discovery.BackfillRequests;
import io.recordingexporter.discovery.BackfillRunner;
import io.recordingexporter.discovery.ConversationDiscovery;
import io.recordingexporter.discovery.ConversationPoll;
import io.recordingexporter.failures.ConflictProbe;
import io.recordingexporter.failures.FailedWork;
import io.recordingexporter.failures.FailureClass;
import io.recordingexporter.failures.InlineRedelivery;
import io.recordingexporter.failures.RetrySchedule;
import io.recordingexporter.genesys.BatchDownloads;
import io.recordingexporter.genesys.ConversationExpander;
import io.recordingexporter.genesys.GenesysHosts;
import io.recordingexporter.genesys.GenesysJobWait;
import io.recordingexporter.genesys.GenesysRateBudget;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.GenesysTokenSource;
import io.recordingexporter.genesys.LegalHoldAttribute;
import io.recordingexporter.genesys.LegalHoldRecheck;
import io.recordingexporter.genesys.LegalHoldRegistry;
import io.recordingexporter.genesys.MediaDownloader;
import io.recordingexporter.genesys.MediaFetcher;
import io.recordingexporter.genesys.MediaHosts;
import io.recordingexporter.genesys.MediaLinks;
import io.recordingexporter.genesys.RelistSchedule;
import io.recordingexporter.incident.IncidentOutbox;
import io.recordingexporter.incident.ServiceNowCredentials;
import io.recordingexporter.intake.WebhookGate;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.LedgerDatabase;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.resilience.RetryPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the beans the YAML routes call, in dependency order, from {@code config/application.properties}. The routes
 * name them: {@code webhookGate}, {@code ledger}, {@code conversationPoll}, {@code conversationExpander},
 * {@code mediaLinks}, {@code mediaFetcher}, {@code custodyWriter}, {@code auditTrail}, {@code failedWork}.
 */
public class ExporterBeans implements CamelConfiguration {

    /** The lanes of the content-based router; each has its own settings under {@code exporter.lane.<name>.}. */
    public static final List<String> LANES = List.of("screen-legal-hold", "screen", "voice", "digital");

    private static final Logger LOG = LoggerFactory.getLogger(ExporterBeans.class);
    /** Media downloads open at once, over every lane (more than the lanes' threads together). */
    private static final int MEDIA_CONNECTIONS = 32;

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        Clock clock = Clock.systemUTC();

        HikariDataSource dataSource = LedgerDatabase.open(text(properties, "exporter.db.url"),
                text(properties, "exporter.db.user"), optional(properties, "exporter.db.password"),
                number(properties, "exporter.db.pool-size"));
        LOG.info("Ledger {}", text(properties, "exporter.db.url"));
        String nodeId = optional(properties, "exporter.node-id");
        if (nodeId.isBlank()) {
            nodeId = InetAddress.getLocalHost().getHostName();
        }
        int leaseSeconds = number(properties, "exporter.ledger.lease-seconds");
        int renewMillis = number(properties, "exporter.ledger.lease-renew-interval-ms");
        if (renewMillis <= 0 || renewMillis * 3L > leaseSeconds * 1000L) {
            throw new IllegalArgumentException("EXPORTER_LEASE_RENEW_INTERVAL_MS (" + renewMillis + ") must be positive and"
                    + " at most a third of EXPORTER_LEASE_SECONDS (" + leaseSeconds + " s), so a lease is renewed well"
                    + " before it runs out");
        }
        Ledger ledger = Ledger.open(dataSource, nodeId, leaseSeconds, clock);
        int released = ledger.leases().releaseOwnLeases();
        if (released > 0) {
            LOG.info("Resuming {} items this node ({}) had in progress when it stopped", released, nodeId);
        }

        GenesysHosts hosts = GenesysHosts.of(text(properties, "genesys.region"),
                optional(properties, "genesys.api-base-url"), optional(properties, "genesys.login-base-url"));
        Duration apiTimeout = Duration.ofMillis(number(properties, "genesys.api-timeout-ms"));
        GenesysTokenSource tokens = new GenesysTokenSource(hosts.loginBaseUrl(), optional(properties, "genesys.client-id"),
                optional(properties, "genesys.client-secret"),
                Duration.ofSeconds(number(properties, "genesys.token-renew-before-seconds")), apiTimeout, clock);
        GenesysRateBudget rateBudget = new GenesysRateBudget(number(properties, "genesys.rate-budget.requests-per-minute"),
                number(properties, "genesys.rate-budget.burst"),
                Duration.ofSeconds(number(properties, "genesys.max-pause-seconds")), clock);
        CircuitBreaker genesysBreaker = new CircuitBreaker("genesys", number(properties, "genesys.breaker.failures"),
                Duration.ofSeconds(number(properties, "genesys.breaker.open-seconds")), clock);
        GenesysRecordings genesys = new GenesysRecordings(hosts.apiBaseUrl(), tokens, rateBudget, genesysBreaker,
                (int) apiTimeout.toMillis(), text(properties, "genesys.audio-format"), clock);
        LOG.info("Genesys API {} (login {})", hosts.apiBaseUrl(), hosts.loginBaseUrl());

        Duration firstPoll = Duration.ofMillis(number(properties, "genesys.batch-download.first-poll-ms"));
        Duration maxPoll = Duration.ofMillis(number(properties, "genesys.batch-download.max-poll-ms"));
        Duration jobDeadline = Duration.ofSeconds(number(properties, "genesys.batch-download.deadline-seconds"));
        GenesysJobWait jobWait = new GenesysJobWait(firstPoll, maxPoll, jobDeadline, clock);
        BatchDownloads batchDownloads = new BatchDownloads(genesys, jobWait,
                Duration.ofSeconds(number(properties, "genesys.batch-download.link-lifetime-seconds")),
                Duration.ofSeconds(number(properties, "genesys.batch-download.link-reuse-margin-seconds")), clock);
        LegalHoldAttribute holdAttribute = new LegalHoldAttribute(optional(properties, "genesys.legal-hold.attribute"));
        if (!holdAttribute.enabled()) {
            LOG.warn("GENESYS_LEGAL_HOLD_ATTRIBUTE is empty: no participant attribute puts a conversation under legal hold;"
                    + " only deletion protection and the webhook's legalHold flag do. Set it (default legalHold) unless"
                    + " your flows never mark holds that way.");
        }
        LegalHoldRegistry legalHolds = new LegalHoldRegistry(genesys, holdAttribute,
                Duration.ofSeconds(number(properties, "genesys.legal-hold.refresh-seconds")), clock);
        int expandBatch = number(properties, "exporter.expand.batch-size");
        if (expandBatch < 1 || expandBatch > BatchDownloads.MAX_REQUESTS) {
            throw new IllegalArgumentException("exporter.expand.batch-size must be 1 to " + BatchDownloads.MAX_REQUESTS
                    + " (one batch download), not " + expandBatch);
        }
        ConversationDiscovery discovery = new ConversationDiscovery(genesys, holdAttribute,
                number(properties, "exporter.poll.page-size"), jobWait);
        ConversationPoll conversationPoll = new ConversationPoll(discovery, ledger.watermarks(),
                Duration.ofMinutes(number(properties, "exporter.poll.overlap-minutes")),
                Duration.ofSeconds(number(properties, "exporter.poll.settle-seconds")),
                Duration.ofHours(number(properties, "exporter.poll.initial-lookback-hours")),
                Duration.ofHours(number(properties, "exporter.poll.max-window-hours")), clock);

        // media links are untrusted: allowed hosts only, and per lane a whole-body deadline, an idle timeout, a cap
        MediaHosts mediaHosts = MediaHosts.of(optional(properties, "genesys.media-hosts"),
                text(properties, "genesys.region"));
        LOG.info("Media is fetched only from {}", mediaHosts);
        long mebibyte = 1024L * 1024;
        Map<String, MediaDownloader.Limits> downloadLimits = new LinkedHashMap<>();
        for (String lane : LANES) {
            downloadLimits.put(lane, new MediaDownloader.Limits(
                    Duration.ofMillis(number(properties, "exporter.lane." + lane + ".download-timeout-ms")),
                    Duration.ofMillis(number(properties, "exporter.lane." + lane + ".idle-timeout-ms")),
                    number(properties, "exporter.lane." + lane + ".max-mib") * mebibyte));
        }
        MediaDownloader mediaDownloader = new MediaDownloader(mediaHosts, apiTimeout, MEDIA_CONNECTIONS);
        // the lanes' own calls leave part of the budget to discovery and expansion, which feed every lane
        GenesysRecordings laneGenesys = genesys.forLanes(number(properties, "genesys.rate-budget.reserved-for-discovery"));
        // each node spools in a folder of its own: the sweep at start cannot touch another replica's live downloads
        String bucket = text(properties, "exporter.s3.bucket");
        String prefix = optional(properties, "exporter.s3.prefix");
        S3Client s3 = s3Client(optional(properties, "exporter.s3.endpoint"), text(properties, "exporter.s3.region"));
        ServerChecksum serverChecksum = new ServerChecksum(s3, bucket, prefix);
        MediaFetcher mediaFetcher = new MediaFetcher(laneGenesys, mediaDownloader,
                Path.of(text(properties, "exporter.spool-dir")).resolve(nodeId.replaceAll("[^A-Za-z0-9._-]", "_")),
                downloadLimits, number(properties, "exporter.spool.min-free-mib") * mebibyte, clock,
                serverChecksum::md5Needed);
        CircuitBreaker s3Breaker = new CircuitBreaker("s3", number(properties, "exporter.s3.breaker.failures"),
                Duration.ofSeconds(number(properties, "exporter.s3.breaker.open-seconds")), clock);
        ObjectLock objectLock = new ObjectLock(s3, bucket, text(properties, "exporter.s3.object-lock"));
        objectLock.preflight();
        ObjectEncryption encryption = new ObjectEncryption(optional(properties, "exporter.s3.kms-key-id"),
                Boolean.parseBoolean(text(properties, "exporter.s3.bucket-key")));
        CustodyWriter custodyWriter = new CustodyWriter(s3, bucket, new S3KeyLayout(prefix),
                serverChecksum, new ConditionalWrites(s3, bucket, prefix), encryption, objectLock,
                number(properties, "exporter.s3.multipart.threshold-mib") * mebibyte,
                number(properties, "exporter.s3.multipart.part-size-mib") * mebibyte,
                genesys.objectMapper(), s3Breaker, clock);

        Path auditDir = Path.of(text(properties, "exporter.audit.dir"));
        AuditTrail auditTrail = new AuditTrail(auditDir, clock);
        AuditDigests auditDigests = new AuditDigests(s3, bucket, prefix, auditTrail, auditDir, encryption, objectLock,
                clock);

        // each failure class may have its own backoff; unset keys fall back to exporter.retry.*
        Duration baseDelay = Duration.ofMillis(number(properties, "exporter.retry.base-delay-ms"));
        Duration maxDelay = Duration.ofMillis(number(properties, "exporter.retry.max-delay-ms"));
        Map<FailureClass, RetryPolicy> retryPolicies = new java.util.EnumMap<>(FailureClass.class);
        for (FailureClass failureClass : FailureClass.values()) {
            String classKeys = "exporter.retry." + failureClass.key() + ".";
            RetryPolicy policy = new RetryPolicy(millisOr(properties, classKeys + "base-delay-ms", baseDelay),
                    millisOr(properties, classKeys + "max-delay-ms", maxDelay));
            // a metadata lock lasts: no lucky short draws that spend calls on a recording still locked
            retryPolicies.put(failureClass, failureClass == FailureClass.CONFLICT ? policy.withEqualJitter() : policy);
        }
        Map<String, Duration> deadlines = new LinkedHashMap<>();
        for (String lane : LANES) {
            deadlines.put(lane, Duration.ofHours(number(properties, "exporter.lane." + lane + ".deadline-hours")));
        }
        RetrySchedule expansionRetries = new RetrySchedule(baseDelay, maxDelay,
                number(properties, "exporter.expand.max-attempts"));
        java.util.SplittableRandom jitter = new java.util.SplittableRandom();

        var registry = context.getRegistry();
        registry.bind("webhookGate", new WebhookGate(optional(properties, "exporter.webhook.token"),
                number(properties, "exporter.webhook.max-body-bytes"), number(properties, "exporter.webhook.max-batch")));
        // the ledger by concern, as the routes use it
        registry.bind("ledger", ledger);
        registry.bind("conversationIntake", ledger.intake());
        registry.bind("conversationQueue", ledger.conversations());
        registry.bind("recordingQueue", ledger.recordings());
        registry.bind("nodeLeases", ledger.leases());
        registry.bind("custodyRecords", ledger.custody());
        registry.bind("backfills", ledger.backfills());
        registry.bind("custodyStatus", ledger.status());
        RelistSchedule relisting = new RelistSchedule(RelistSchedule.parse(text(properties, "exporter.relist.schedule")),
                Duration.ofSeconds(number(properties, "exporter.relist.missing-seconds")));
        registry.bind("conversationExpander", new ConversationExpander(genesys, legalHolds, batchDownloads, relisting,
                clock));
        registry.bind("mediaLinks", new MediaLinks(batchDownloads.through(laneGenesys), ledger.recordings(), clock));
        registry.bind("legalHoldRegistry", legalHolds);
        registry.bind("legalHoldRecheck", new LegalHoldRecheck(legalHolds, ledger.holds(),
                Duration.ofDays(number(properties, "genesys.legal-hold.recheck-days")), clock));
        registry.bind("conversationPoll", conversationPoll);
        registry.bind("backfillRequests", new BackfillRequests(ledger.backfills(),
                Duration.ofHours(number(properties, "exporter.backfill.chunk-hours")),
                Duration.ofDays(number(properties, "exporter.backfill.max-range-days")), clock));
        registry.bind("backfillRunner", new BackfillRunner(discovery, ledger.backfills()));
        registry.bind("mediaFetcher", mediaFetcher);
        registry.bind("custodyWriter", custodyWriter);
        registry.bind("objectLegalHolds", new ObjectLegalHolds(s3, bucket, ledger.custody(), objectLock));
        registry.bind("heldSidecars", new HeldSidecars(s3, bucket, custodyWriter, objectLock, ledger.custody(), clock));
        registry.bind("auditTrail", auditTrail);
        registry.bind("auditDigests", auditDigests);
        registry.bind("auditShipper", new AuditShipper(auditDir, optional(properties, "exporter.audit.http.url"),
                optional(properties, "exporter.audit.http.token"), number(properties, "exporter.audit.http.batch-size")));
        LongUnaryOperator draw = bound -> bound <= 0 ? 0 : jitter.split().nextLong(bound + 1);
        ServiceNowCredentials serviceNowCredentials = new ServiceNowCredentials(
                optional(properties, "servicenow.instance-url"), optional(properties, "servicenow.username"),
                optional(properties, "servicenow.password"), optional(properties, "servicenow.client-id"),
                optional(properties, "servicenow.client-secret"), Duration.ofSeconds(30), clock);
        registry.bind("incidentOutbox", new IncidentOutbox(ledger.incidents(), optional(properties, "servicenow.instance-url"),
                serviceNowCredentials, optional(properties, "servicenow.assignment-group"),
                new RetryPolicy(Duration.ofMillis(number(properties, "servicenow.retry.base-delay-ms")),
                        Duration.ofMillis(number(properties, "servicenow.retry.max-delay-ms"))), clock, draw));
        Map<String, Integer> inlineRedeliveries = new LinkedHashMap<>();
        for (String lane : LANES) {
            inlineRedeliveries.put(lane, number(properties, "exporter.lane." + lane + ".inline-redeliveries"));
        }
        registry.bind("inlineRedelivery", new InlineRedelivery(inlineRedeliveries, new RetryPolicy(
                Duration.ofMillis(number(properties, "exporter.retry.inline.base-delay-ms")),
                Duration.ofMillis(number(properties, "exporter.retry.inline.max-delay-ms"))), rateBudget.maxPause(),
                auditTrail, clock, draw));
        FailedWork failedWork = new FailedWork(ledger, retryPolicies, deadlines, expansionRetries,
                relisting.missingFirst(), clock, draw);
        registry.bind("failedWork", failedWork);
        registry.bind("conflictProbe", new ConflictProbe(laneGenesys, ledger.recordings(), failedWork, auditTrail,
                retryPolicies.get(FailureClass.CONFLICT)));
        registry.bind("s3Client", s3);
        registry.bind("s3Breaker", s3Breaker);
        registry.bind("genesysBreaker", genesysBreaker);
        registry.bind("genesysRateBudget", rateBudget);
        registry.bind("ledgerReadiness", new DependencyReadinessCheck("ledger", ledger.store()::ping));
        registry.bind("s3BucketReadiness", new DependencyReadinessCheck("s3-bucket",
                () -> s3.headBucket(request -> request.bucket(bucket))));
        registry.bind("genesysLoginReadiness", new DependencyReadinessCheck("genesys-login", tokens::currentToken));

        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the metrics registry exists once the context has started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                MeterRegistry meters = started.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    FunctionCounter.builder("genesys.api.calls", rateBudget, GenesysRateBudget::granted)
                            .description("Genesys API calls granted by the shared rate budget").register(meters);
                    FunctionCounter.builder("genesys.rate.budget.pauses", rateBudget, GenesysRateBudget::throttled)
                            .description("times Genesys (429, Retry-After) paused the whole budget").register(meters);
                    FunctionCounter.builder("genesys.rate.budget.pauses.capped", rateBudget,
                                    GenesysRateBudget::pausesCapped)
                            .description("pauses Genesys asked for beyond GENESYS_MAX_PAUSE_SECONDS, cut to it")
                            .register(meters);
                    Gauge.builder("genesys.rate.budget.available", rateBudget, GenesysRateBudget::available)
                            .description("calls the budget could grant now without waiting").register(meters);
                    FunctionCounter.builder("exporter.s3.breaker.opened", s3Breaker, CircuitBreaker::timesOpened)
                            .description("times the S3 circuit breaker opened").register(meters);
                    FunctionCounter.builder("genesys.breaker.opened", genesysBreaker, CircuitBreaker::timesOpened)
                            .description("times the Genesys circuit breaker opened").register(meters);
                }
            }
        });

        // closed after the routes have stopped, so in-flight work can still reach the ledger and the trail
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                // a last digest, so the chain is anchored up to the stop
                try {
                    auditTrail.record("DIGEST_PUBLISHED", auditDigests.publish());
                } catch (Exception e) {
                    LOG.warn("The audit digest at shutdown could not be written to S3: {}", e.getMessage());
                }
                auditTrail.close();
                mediaDownloader.close();
                s3.close();
                dataSource.close();
            }
        }, true);
    }

    private static S3Client s3Client(String endpoint, String region) {
        return s3ClientBuilder(endpoint, region).build();
    }

    /** The S3 client as the service configures it; the verifier sub-commands start from the same. */
    public static S3ClientBuilder s3ClientBuilder(String endpoint, String region) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(region))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
                // checksums are sent explicitly, computed while spooling; the SDK must not recompute or replace them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder;
    }

    private static String text(PropertiesComponent properties, String key) {
        String value = optional(properties, key);
        if (value.isBlank()) {
            throw new IllegalArgumentException("configuration key " + key + " must not be empty");
        }
        return value;
    }

    private static String optional(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    private static Duration millisOr(PropertiesComponent properties, String key, Duration fallback) {
        return optional(properties, key).isBlank() ? fallback : Duration.ofMillis(number(properties, key));
    }

    private static int number(PropertiesComponent properties, String key) {
        String value = text(properties, key);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " must be a whole number, not '" + value + "'");
        }
    }
}
