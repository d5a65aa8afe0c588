package io.recordingexporter.bench;

import io.recordingexporter.sandbox.Sandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exporter as users run it: {@code java -jar target/recording-exporter.jar} in a folder of its own (its
 * {@code ./data}), configured only through the documented environment variables, in real mode. Its peak heap is read
 * from its GC log (the heap in use just before each collection), its peak resident memory from the kernel
 * ({@code VmHWM}).
 */
final class ExporterProcess implements AutoCloseable {

    static final String WEBHOOK_TOKEN = "bench-webhook-token";
    private static final Path JAR = Path.of("target/recording-exporter.jar").toAbsolutePath();
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    private final Process process;
    private final Path dir;
    private final int httpPort;
    private final int managementPort;
    private final String maxHeap;
    private final HttpClient http = HttpClient.newHttpClient();
    private long peakRssBytes;

    private ExporterProcess(Process process, Path dir, int httpPort, int managementPort, String maxHeap) {
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.maxHeap = maxHeap;
    }

    /** Starts the jar in {@code dir} with {@code env} on top of what points it at the benchmark's Genesys and S3. */
    static ExporterProcess start(Path dir, String maxHeap, String genesysBaseUrl, String s3Endpoint, String bucket,
            Map<String, String> env) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the benchmark runs after mvn package (mvn -Pbench verify)");
        }
        Files.createDirectories(dir);
        int httpPort = Sandbox.freePort();
        int managementPort = Sandbox.freePort();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + maxHeap,
                "-Xlog:gc:file=" + dir.resolve("gc.log")));
        // e.g. -Dbench.exporter-options=-XX:StartFlightRecording=filename=exporter.jfr to profile the exporter
        String extra = System.getProperty("bench.exporter-options", "");
        if (!extra.isBlank()) {
            command.addAll(java.util.List.of(extra.trim().split("\\s+")));
        }
        command.addAll(java.util.List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        Map<String, String> settings = new HashMap<>();
        settings.put("EXPORTER_HTTP_HOST", "127.0.0.1");
        settings.put("EXPORTER_HTTP_PORT", Integer.toString(httpPort));
        settings.put("EXPORTER_MANAGEMENT_HOST", "127.0.0.1");
        settings.put("EXPORTER_MANAGEMENT_PORT", Integer.toString(managementPort));
        settings.put("GENESYS_API_BASE_URL", genesysBaseUrl);
        settings.put("GENESYS_LOGIN_BASE_URL", genesysBaseUrl);
        settings.put("GENESYS_CLIENT_ID", Bench.CLIENT_ID);
        settings.put("GENESYS_CLIENT_SECRET", Bench.CLIENT_SECRET);
        settings.put("GENESYS_MEDIA_HOSTS", "127.0.0.1");
        settings.put("EXPORTER_WEBHOOK_TOKEN", WEBHOOK_TOKEN);
        settings.put("EXPORTER_NODE_ID", "bench");
        settings.put("EXPORTER_S3_ENDPOINT", s3Endpoint);
        settings.put("EXPORTER_S3_BUCKET", bucket);
        settings.put("EXPORTER_S3_OBJECT_LOCK", "off"); // S3Proxy has no Object Lock
        settings.put("AWS_ACCESS_KEY_ID", io.recordingexporter.sandbox.SandboxS3.ACCESS_KEY);
        settings.put("AWS_SECRET_ACCESS_KEY", io.recordingexporter.sandbox.SandboxS3.SECRET_KEY);
        settings.putAll(env);
        environment.putAll(settings);
        Process process = builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("exporter.log").toFile())).start();
        ExporterProcess exporter = new ExporterProcess(process, dir, httpPort, managementPort, maxHeap);
        exporter.awaitReady();
        return exporter;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the exporter stopped at start-up: " + log());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the exporter was not ready within 90 s: " + log());
    }

    String businessUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    Path auditDir() {
        return dir.resolve("data/audit");
    }

    Path dir() {
        return dir;
    }

    String maxHeap() {
        return maxHeap;
    }

    /** POSTs a JSON body with the webhook token; the reply. */
    HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(businessUrl() + path))
                .header("Authorization", "Bearer " + WEBHOOK_TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The most resident memory the process has had so far (kernel's high-water mark). */
    long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                peakRssBytes = Math.max(peakRssBytes, Long.parseLong(line.replaceAll("\\D+", "")) * 1024);
            }
        }
        return peakRssBytes;
    }

    /** The most heap in use at any collection so far (the heap just before it), from the GC log. */
    long peakHeapBytes() throws IOException {
        long peak = 0;
        Path gcLog = dir.resolve("gc.log");
        if (!Files.exists(gcLog)) {
            return 0;
        }
        for (String line : Files.readAllLines(gcLog)) {
            Matcher heap = GC_HEAP.matcher(line);
            if (heap.find()) {
                peak = Math.max(peak, bytes(heap.group(1), heap.group(2)));
            }
        }
        return peak;
    }

    private static long bytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit) {
            case "K" -> value * 1024;
            case "M" -> value * 1024 * 1024;
            default -> value * 1024 * 1024 * 1024;
        };
    }

    String log() throws IOException {
        Path log = dir.resolve("exporter.log");
        if (!Files.exists(log)) {
            return "";
        }
        String text = Files.readString(log);
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /** Stops it as a container runtime would (SIGTERM), after reading its peak memory. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            peakRssBytes();
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
