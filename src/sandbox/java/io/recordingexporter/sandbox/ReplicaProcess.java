package io.recordingexporter.sandbox;

import io.recordingexporter.RecordingExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One exporter replica as users run it: the service jar ({@code java -jar recording-exporter.jar}) in real mode, in a
 * folder of its own (its {@code ./data}), configured through the documented environment variables alone; its output
 * goes to {@code replica.log} there. Stopped as an orchestrator would (SIGTERM), or killed ({@code kill -9}).
 */
public final class ReplicaProcess implements AutoCloseable {

    private final String nodeId;
    private final Process process;
    private final Path dir;
    private final int httpPort;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean killed;

    private ReplicaProcess(String nodeId, Process process, Path dir, int httpPort, int managementPort) {
        this.nodeId = nodeId;
        this.process = process;
        this.dir = dir;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
    }

    /** Starts replica {@code nodeId} in {@code dir} with {@code env} (its ports are added here). */
    public static ReplicaProcess start(String nodeId, Path dir, String maxHeap, Map<String, String> env)
            throws IOException {
        Files.createDirectories(dir);
        int httpPort = Sandbox.freePort();
        int managementPort = Sandbox.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + maxHeap, "-jar", serviceJar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("replica.log").toFile()));
        builder.environment().putAll(env);
        builder.environment().put("EXPORTER_NODE_ID", nodeId);
        builder.environment().put("EXPORTER_HTTP_HOST", "127.0.0.1");
        builder.environment().put("EXPORTER_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("EXPORTER_MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("EXPORTER_MANAGEMENT_PORT", Integer.toString(managementPort));
        return new ReplicaProcess(nodeId, builder.start(), dir, httpPort, managementPort);
    }

    /**
     * The service jar: the one this JVM runs from ({@code java -jar recording-exporter.jar --sandbox}), else the one
     * the build made ({@code target/recording-exporter.jar}, for tests run from the build).
     */
    static Path serviceJar() {
        try {
            Path running = Path.of(RecordingExporter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(running) && running.toString().endsWith(".jar")) {
                return running;
            }
        } catch (Exception e) {
            // no code source: look in the build's folder
        }
        Path built = Path.of("target", "recording-exporter.jar").toAbsolutePath();
        if (!Files.isRegularFile(built)) {
            throw new IllegalStateException(built + " is missing: replicas run the packaged service (mvn package)");
        }
        return built;
    }

    /** Waits until the replica reports ready (its routes up, ledger and S3 reachable). */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica " + nodeId + " stopped at start-up (exit "
                        + process.exitValue() + "): " + logTail());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPort + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("replica " + nodeId + " was not ready within " + timeout.toSeconds() + " s: "
                + logTail());
    }

    public String nodeId() {
        return nodeId;
    }

    public Path dir() {
        return dir;
    }

    /** Its audit folder (the default {@code ./data/audit} under its folder). */
    public Path auditDir() {
        return dir.resolve("data").resolve("audit");
    }

    public URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/webhooks/genesys");
    }

    public boolean alive() {
        return process.isAlive();
    }

    public boolean killed() {
        return killed;
    }

    /** What became of it: running, killed, or its exit code. */
    public String state() {
        if (process.isAlive()) {
            return "running";
        }
        return killed ? "killed (kill -9)" : "exited " + process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook, no last digest, nothing flushed. */
    public void kill() throws InterruptedException {
        killed = true;
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orchestrator stops a container; waits for the graceful shutdown. */
    public int stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        return process.exitValue();
    }

    public String logTail() {
        try {
            Path log = dir.resolve("replica.log");
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(60));
    }
}
