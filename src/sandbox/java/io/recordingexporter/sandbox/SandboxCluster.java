package io.recordingexporter.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.LedgerDatabase;
import io.recordingexporter.verification.ExportVerifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replicas you can watch ({@code --sandbox --replicas N}): the simulated Genesys org, the S3 server and the ServiceNow
 * sink of the sandbox and one embedded PostgreSQL, started once in this JVM, and N exporter processes of the service
 * jar in real mode sharing the ledger, each in {@code data/replica-<n>/}, configured through the documented variables
 * alone. Webhooks are spread over the replicas as a load balancer would; the summary says what each replica did.
 */
public final class SandboxCluster implements AutoCloseable {

    private static final String REPLICA_HEAP = "384m";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    /** Where the replicas store: an S3 endpoint and bucket, the credentials they get, and whether Object Lock is on. */
    public record Storage(String endpoint, String bucket, String accessKey, String secretKey, boolean objectLock) {

        S3Client client() {
            return S3Client.builder().endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                    .region(Region.EU_WEST_2)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                            secretKey)))
                    .build();
        }
    }

    private final Sandbox sandbox;
    private final SandboxPostgres postgres;
    private final String ledgerUrl;
    private final Storage storage;
    private final Path dataDir;
    private final Map<String, String> environment;
    private final List<ReplicaProcess> replicas = new ArrayList<>();
    private final HikariDataSource observerDatabase;
    private final Ledger observer;
    private boolean closed;

    private SandboxCluster(Sandbox sandbox, SandboxPostgres postgres, String ledgerUrl, Storage storage, Path dataDir,
            Map<String, String> environment, HikariDataSource observerDatabase) {
        this.sandbox = sandbox;
        this.postgres = postgres;
        this.ledgerUrl = ledgerUrl;
        this.storage = storage;
        this.dataDir = dataDir;
        this.environment = environment;
        this.observerDatabase = observerDatabase;
        this.observer = Ledger.open(observerDatabase, "sandbox-observer", 900, Clock.systemUTC());
    }

    /** The sandbox's own S3 server (S3Proxy: no Object Lock). */
    public static Storage sandboxStorage(Sandbox sandbox) {
        return new Storage(sandbox.s3Endpoint(), Sandbox.BUCKET, SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY, false);
    }

    /**
     * Starts PostgreSQL and {@code count} replicas (together, then waits until each is ready), with {@code tuning} on
     * top of the variables that point them at the sandbox's parts.
     */
    public static SandboxCluster start(Sandbox sandbox, Path dataDir, int count, Storage storage,
            Map<String, String> tuning) throws Exception {
        SandboxPostgres postgres = SandboxPostgres.start();
        SandboxCluster cluster = null;
        try {
            String ledgerUrl = postgres.createDatabase();
            // the observer opens the ledger first, so the schema is in place before any replica starts
            HikariDataSource observerDatabase = LedgerDatabase.open(ledgerUrl, SandboxPostgres.USER, "", 2);
            Map<String, String> environment = environment(sandbox, ledgerUrl, storage);
            // a tuning value may name the ledger's URL, not known before PostgreSQL started: ${ledgerUrl}
            tuning.forEach((name, value) -> environment.put(name, value.replace("${ledgerUrl}", ledgerUrl)));
            cluster = new SandboxCluster(sandbox, postgres, ledgerUrl, storage, dataDir, environment,
                    observerDatabase);
            // all at once, so that none has the backlog to itself for long while the others start
            for (int n = 1; n <= count; n++) {
                cluster.replicas.add(ReplicaProcess.start("replica-" + n, dataDir.resolve("replica-" + n),
                        REPLICA_HEAP, environment));
            }
            for (ReplicaProcess replica : cluster.replicas) {
                replica.awaitReady(READY_TIMEOUT);
            }
            return cluster;
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            } else {
                postgres.close();
            }
            throw e;
        }
    }

    /** The documented variables every replica gets (README "Configuration"), pointing at the sandbox's parts. */
    private static Map<String, String> environment(Sandbox sandbox, String ledgerUrl, Storage storage) {
        Map<String, String> env = new LinkedHashMap<>();
        GenesysSimulator genesys = sandbox.genesys();
        env.put("GENESYS_API_BASE_URL", genesys.baseUrl());
        env.put("GENESYS_LOGIN_BASE_URL", genesys.baseUrl());
        env.put("GENESYS_CLIENT_ID", Sandbox.CLIENT_ID);
        env.put("GENESYS_CLIENT_SECRET", Sandbox.CLIENT_SECRET);
        env.put("GENESYS_MEDIA_HOSTS", "127.0.0.1");
        env.put("GENESYS_BATCH_LINK_LIFETIME_SECONDS", Long.toString(genesys.linkLifetime().toSeconds()));
        env.put("EXPORTER_WEBHOOK_TOKEN", sandbox.options().webhookToken());
        env.put("EXPORTER_READ_TOKEN", Sandbox.readToken());
        env.put("EXPORTER_DB_URL", ledgerUrl);
        env.put("EXPORTER_DB_USER", SandboxPostgres.USER);
        env.put("EXPORTER_DB_PASSWORD", "");
        env.put("EXPORTER_S3_ENDPOINT", storage.endpoint());
        env.put("EXPORTER_S3_BUCKET", storage.bucket());
        env.put("EXPORTER_S3_OBJECT_LOCK", storage.objectLock() ? "on" : "off");
        env.put("AWS_ACCESS_KEY_ID", storage.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", storage.secretKey());
        env.put("SERVICENOW_INSTANCE_URL", sandbox.serviceNow().baseUrl());
        env.put("SERVICENOW_USERNAME", "sandbox");
        env.put("SERVICENOW_PASSWORD", "sandbox");
        env.put("EXPORTER_POLL_ENABLED", "true");
        env.put("EXPORTER_POLL_CRON", "0/20 * * * * ?");
        env.put("EXPORTER_POLL_INITIAL_LOOKBACK_HOURS", Long.toString(sandbox.pollLookbackHours()));
        env.put("EXPORTER_POLL_MAX_WINDOW_HOURS", Long.toString(sandbox.pollLookbackHours()));
        // a killed replica's claims are taken over within a minute, and a survivor anchors its chain soon after
        env.put("EXPORTER_LEASE_SECONDS", "60");
        env.put("EXPORTER_LEASE_RENEW_INTERVAL_MS", "20000");
        env.put("EXPORTER_AUDIT_DIGEST_INTERVAL_SECONDS", "30");
        return env;
    }

    public List<ReplicaProcess> replicas() {
        return List.copyOf(replicas);
    }

    public Map<String, String> replicaEnvironment() {
        return Map.copyOf(environment);
    }

    public String ledgerUrl() {
        return ledgerUrl;
    }

    public Ledger observer() {
        return observer;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    /** Fires the org's webhooks, spread over the replicas (a retry goes to the next one). */
    public void startWebhooks() {
        sandbox.startWebhooks(replicas.stream().map(ReplicaProcess::webhookUrl).toList());
    }

    /** Progress every 2 s until the backlog is exported. */
    public LedgerCounts awaitIdle(Instant started) throws InterruptedException {
        return sandbox.awaitIdle(new LedgerStatistics(observer.store()), observer, started);
    }

    /** The sandbox's summary, plus what each replica did, the most Genesys calls in a minute and the polls run. */
    public Map<String, Object> summary(LedgerCounts counts, Instant started) throws Exception {
        Duration elapsed = Duration.between(started, Instant.now());
        Map<String, Object> summary = sandbox.summary(counts, elapsed, new LedgerStatistics(observer.store())
                .laneSeconds(started), verify());
        GenesysSimulator genesys = sandbox.genesys();
        summary.put("mostGenesysCallsInAnyMinute", genesys.mostCallsInAnyMinute());
        summary.put("exportSeconds", exportSeconds());
        summary.put("reconcilePolls", genesys.detailsJobIntervals().size());
        Map<String, Long> storedBy = storedByReplica();
        List<Map<String, Object>> perReplica = new ArrayList<>();
        for (ReplicaProcess replica : replicas) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("nodeId", replica.nodeId());
            figures.put("state", replica.state());
            figures.put("webhooksAccepted", sandbox.webhooksAcceptedBy(replica.webhookUrl()));
            figures.put("stored", storedBy.getOrDefault(replica.nodeId(), 0L));
            perReplica.add(figures);
        }
        summary.put("replicas", perReplica);
        return summary;
    }

    /**
     * From the first conversation the ledger took (a webhook, or a poll that ran while replicas were starting) to the
     * last recording stored: the time the export took, for throughput.
     */
    private double exportSeconds() throws SQLException {
        try (Connection connection = observerDatabase.getConnection();
                ResultSet row = connection.createStatement().executeQuery("SELECT (SELECT MIN(received_at) FROM"
                        + " conversation_work), (SELECT MAX(stored_at) FROM recording_item WHERE state = 'STORED')")) {
            row.next();
            java.time.OffsetDateTime first = row.getObject(1, java.time.OffsetDateTime.class);
            java.time.OffsetDateTime last = row.getObject(2, java.time.OffsetDateTime.class);
            return first == null || last == null ? 0
                    : Math.round(Duration.between(first, last).toMillis() / 100.0) / 10.0;
        }
    }

    /** STORED entries per replica, from the ledger's copy of their chains (a killed replica's included). */
    public Map<String, Long> storedByReplica() throws SQLException {
        Map<String, Long> stored = new LinkedHashMap<>();
        try (Connection connection = observerDatabase.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT node_id, COUNT(*) FROM audit_copy"
                        + " WHERE line LIKE '%\"event\":\"STORED\"%' GROUP BY node_id ORDER BY node_id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                stored.put(rows.getString(1), rows.getLong(2));
            }
        }
        return stored;
    }

    /** The service's own verifier over the whole org: every replica's trail there is, and the ledger's copy. */
    private Map<String, Object> verify() throws Exception {
        List<Path> trails = replicas.stream().map(ReplicaProcess::auditDir).filter(Files::isDirectory).toList();
        try (S3Client s3 = storage.client(); Connection connection = observerDatabase.getConnection()) {
            ExportVerifier.Report exported = new ExportVerifier(connection, s3, storage.bucket(), trails,
                    storage.objectLock()).between(Instant.EPOCH, Instant.now().plus(Duration.ofDays(1)));
            return SandboxVerification.of(sandbox.org(), observer, exported);
        }
    }

    /**
     * The {@code --sandbox --replicas N} run: banner, webhooks, progress, then the summary (printed, and written to
     * {@code data/sandbox-summary.json}); then, unless {@code exitWhenIdle}, serves until Ctrl-C.
     */
    public void run(boolean exitWhenIdle) throws Exception {
        banner();
        Instant started = Instant.now();
        startWebhooks();
        LedgerCounts counts = awaitIdle(started);
        Map<String, Object> summary = summary(counts, started);
        Sandbox.printSummary(summary);
        printReplicas(summary);
        Files.createDirectories(dataDir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(dataDir.resolve("sandbox-summary.json").toFile(), summary);
        System.out.println("Summary written to " + dataDir.resolve("sandbox-summary.json"));
        if (!exitWhenIdle) {
            System.out.println("Backlog exported. The replicas still serve (kill one and watch the others take its"
                    + " work); Ctrl-C stops them all.");
            new CountDownLatch(1).await();
        }
    }

    private void banner() {
        System.out.printf("%n=== Recording Exporter sandbox: %d replicas on one PostgreSQL ===%n"
                + "simulated Genesys org : %d conversations, %d recordings at %s%n"
                + "S3                    : %s, bucket '%s'%n"
                + "ledger (PostgreSQL)   : %s%n", replicas.size(), sandbox.org().conversations().size(),
                sandbox.org().recordingCount(), sandbox.genesys().baseUrl(), storage.endpoint(), storage.bucket(),
                ledgerUrl);
        for (ReplicaProcess replica : replicas) {
            System.out.printf("%-21s : webhook %s, folder %s%n", replica.nodeId(), replica.webhookUrl(), replica.dir());
        }
        System.out.println();
    }

    @SuppressWarnings("unchecked")
    private static void printReplicas(Map<String, Object> summary) {
        System.out.printf("%-12s %-18s %10s %8s%n", "replica", "state", "webhooks", "stored");
        for (Map<String, Object> replica : (List<Map<String, Object>>) summary.get("replicas")) {
            System.out.printf("%-12s %-18s %10s %8s%n", replica.get("nodeId"), replica.get("state"),
                    replica.get("webhooksAccepted"), replica.get("stored"));
        }
        System.out.printf("export %s s (first conversation taken to last recording stored) | most Genesys calls in"
                + " any minute %s | reconcile polls %s%n%n", summary.get("exportSeconds"),
                summary.get("mostGenesysCallsInAnyMinute"), summary.get("reconcilePolls"));
    }

    /** Stops the replicas still running (SIGTERM, each with its grace period), then the shared parts. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (ReplicaProcess replica : replicas) {
            replica.stop(STOP_GRACE);
        }
        observerDatabase.close();
        postgres.close();
    }

    /** Stops every replica still running; their exit codes by node id. */
    public Map<String, Integer> stopReplicas() throws InterruptedException {
        Map<String, Integer> exits = new LinkedHashMap<>();
        for (ReplicaProcess replica : replicas) {
            if (!replica.killed()) {
                exits.put(replica.nodeId(), replica.stop(STOP_GRACE));
            }
        }
        return exits;
    }

    /** For a replica's log when something went wrong. */
    public String logs() {
        StringBuilder logs = new StringBuilder();
        for (ReplicaProcess replica : replicas) {
            logs.append("--- ").append(replica.nodeId()).append(" (").append(replica.state()).append(")\n")
                    .append(replica.logTail()).append('\n');
        }
        return logs.toString();
    }
}
