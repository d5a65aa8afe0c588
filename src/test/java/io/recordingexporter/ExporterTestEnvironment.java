package io.recordingexporter;

import io.recordingexporter.sandbox.Sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.sandbox.GenesysSimulator;
import io.recordingexporter.sandbox.SandboxS3;
import io.recordingexporter.sandbox.ScratchFolder;
import io.recordingexporter.sandbox.SimulatedParts;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.main.Main;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Owns the infrastructure of an exporter test: a Genesys simulator with a small seeded org, a real S3 protocol server
 * (S3Proxy) on a temporary folder, and a temporary ledger and audit folder. Starts the exporter exactly as production
 * does ({@link RecordingExporter#newMain()}), with property overrides pointing at these parts.
 */
public final class ExporterTestEnvironment implements AutoCloseable {

    public static final String TOKEN = "test-webhook-token";
    public static final String READ_TOKEN = "test-read-token";
    static final String BUCKET = "recordings";

    private final Path dir;
    private final SimulatedOrg org;
    private final GenesysSimulator genesys;
    private final SandboxS3 s3;
    private final S3Client s3Client;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final int httpPort;
    private Main exporter;

    public ExporterTestEnvironment(int conversations, long seed) throws Exception {
        dir = Files.createTempDirectory("exporter-test");
        org = SimulatedOrg.generate(seed, conversations, Instant.parse("2026-06-01T00:00:00Z"), SimulatedOrg.MediaSizes.SMALL);
        genesys = new GenesysSimulator(org, "test-client", "test-secret", 0)
                .withBatchJobDuration(Duration.ofMillis(400)).withDetailsJobDuration(Duration.ofMillis(400))
                .withTranscodingAfterStart(Duration.ofSeconds(3))
                // late screen recordings as Genesys has them, a few seconds late so tests stay short
                .withLateScreenDelay(Duration.ofSeconds(3)).start();
        s3 = SandboxS3.start(dir.resolve("s3"), BUCKET, Sandbox.freePort());
        System.setProperty("aws.accessKeyId", SandboxS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SandboxS3.SECRET_KEY);
        s3Client = S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .region(Region.EU_WEST_2)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY)))
                .build();
        httpPort = Sandbox.freePort();
        properties.putAll(new SimulatedParts(genesys.baseUrl(), "test-client", "test-secret", s3.endpoint(), BUCKET,
                TOKEN, READ_TOKEN).exporterProperties());
        properties.put("camel.server.port", Integer.toString(httpPort));
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.management.port", Integer.toString(Sandbox.freePort()));
        properties.put("camel.management.host", "127.0.0.1");
        properties.put("exporter.db.url", "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE");
        properties.put("exporter.node-id", "test-node");
        properties.put("exporter.audit.dir", dir.resolve("audit").toString());
        properties.put("exporter.spool-dir", dir.resolve("spool").toString());
        properties.put("exporter.expand.poll-interval-ms", "100");
        // webhook tests; the poll has tests of its own
        properties.put("exporter.poll.enabled", "false");
        properties.put("genesys.batch-download.first-poll-ms", "200");
        properties.put("genesys.batch-download.max-poll-ms", "1000");
        properties.put("exporter.lane.poll-interval-ms", "100");
        properties.put("exporter.retry.base-delay-ms", "200");
        properties.put("exporter.retry.max-delay-ms", "1000");
        properties.put("exporter.relist.missing-seconds", "1");
    }

    public Map<String, String> properties() {
        return properties;
    }

    public SimulatedOrg org() {
        return org;
    }

    public GenesysSimulator genesys() {
        return genesys;
    }

    public S3Client s3() {
        return s3Client;
    }

    public Path dir() {
        return dir;
    }

    /** Starts the exporter as production does, with this environment's overrides (plus {@code extra}). */
    public Main startExporter(Map<String, String> extra) throws Exception {
        return startExporter(extra, main -> { });
    }

    /** As {@link #startExporter(Map)}, with {@code beforeStart} given the Main first (to add a listener, say). */
    public Main startExporter(Map<String, String> extra, java.util.function.Consumer<Main> beforeStart) throws Exception {
        Main main = RecordingExporter.newMain();
        properties.forEach(main::addOverrideProperty);
        extra.forEach(main::addOverrideProperty);
        beforeStart.accept(main);
        main.start();
        exporter = main;
        return main;
    }

    /**
     * The settings as a command of the jar reads them ({@code config/application.properties} resolved as the service
     * resolves it), with this environment's overrides.
     */
    public io.recordingexporter.settings.ExporterSettings settings() {
        org.apache.camel.impl.DefaultCamelContext context = new org.apache.camel.impl.DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:" + RecordingExporter.CONFIG_FILE);
        java.util.Properties overrides = new java.util.Properties();
        overrides.putAll(properties);
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return ExporterBeans.settings(context);
    }

    public String businessUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The running exporter's ledger, for assertions on what it recorded. */
    public io.recordingexporter.ledger.Ledger exporterLedger() {
        return exporter.getCamelContext().getRegistry().lookupByNameAndType("ledger", io.recordingexporter.ledger.Ledger.class);
    }

    public Main startExporter() throws Exception {
        return startExporter(Map.of());
    }

    private final List<Main> otherNodes = new java.util.ArrayList<>();

    /**
     * Another exporter node on the same ledger (a second replica): its own node id, ports and audit trail, the same
     * database, spool folder, Genesys and S3.
     */
    public Main startOtherNode(String nodeId, Map<String, String> extra) throws Exception {
        Main main = RecordingExporter.newMain();
        properties.forEach(main::addOverrideProperty);
        extra.forEach(main::addOverrideProperty);
        main.addOverrideProperty("exporter.node-id", nodeId);
        // a Quartz scheduler of its own, as a node in its own process has: named after the context, which would
        // otherwise share the first node's name (and its one trigger per job) in this JVM
        main.addOverrideProperty("camel.main.name", "recording-exporter-" + nodeId);
        main.addOverrideProperty("exporter.audit.dir", dir.resolve("audit-" + nodeId).toString());
        main.addOverrideProperty("camel.server.port", Integer.toString(Sandbox.freePort()));
        main.addOverrideProperty("camel.management.port", Integer.toString(Sandbox.freePort()));
        main.start();
        otherNodes.add(main);
        return main;
    }

    public void stopExporter() throws Exception {
        for (Main other : otherNodes) {
            other.stop();
        }
        otherNodes.clear();
        if (exporter != null) {
            exporter.stop();
            exporter = null;
        }
    }

    public HttpResponse<String> postWebhook(String body, String token) throws Exception {
        return postWebhook(body, token, "application/json");
    }

    public HttpResponse<String> postWebhook(String body, String token, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/webhooks/genesys"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postWebhook(String body) throws Exception {
        return postWebhook(body, TOKEN);
    }

    /** GET /conversations/{id}: the ledger's custody record, or null when the exporter does not know it (404). */
    public JsonNode custody(String conversationId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/conversations/" + conversationId))
                        .header("Authorization", "Bearer " + READ_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("custody of " + conversationId + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    /** Waits until the custody record satisfies {@code done}; fails with the last record seen otherwise. */
    public JsonNode awaitCustody(String conversationId, Predicate<JsonNode> done, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            last = custody(conversationId);
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("conversation " + conversationId + " did not reach the expected state in " + timeout
                + "; last custody record: " + last);
    }

    /** Listed, no recording its sessions promise still awaited, and every recording listed STORED. */
    public static boolean allStored(JsonNode custody) {
        JsonNode recordings = custody.path("recordings");
        if (!"EXPANDED".equals(custody.path("state").asText()) || recordings.isEmpty()
                || !custody.path("awaitingMedia").isEmpty()) {
            return false;
        }
        for (JsonNode recording : recordings) {
            if (!"STORED".equals(recording.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    public List<S3Object> objectsUnder(String prefix) {
        return s3Client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                .contents().stream().toList();
    }

    public byte[] object(String key) throws IOException {
        return s3Client.getObjectAsBytes(GetObjectRequest.builder().bucket(BUCKET).key(key).build()).asByteArray();
    }

    public String sha256OfObject(String key) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = s3Client.getObject(GetObjectRequest.builder().bucket(BUCKET).key(key).build())) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    public JsonNode readJson(byte[] bytes) throws IOException {
        return json.readTree(bytes);
    }

    public static String simpleWebhook(String conversationId, boolean legalHold) {
        return "{\"conversationId\": \"" + conversationId + "\"" + (legalHold ? ", \"legalHold\": true" : "") + "}";
    }


    @Override
    public void close() throws Exception {
        stopExporter();
        s3Client.close();
        s3.close();
        genesys.close();
        ScratchFolder.delete(dir);
    }
}
