package io.recordingexporter.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Copies the audit trail to an external sink ({@code EXPORTER_AUDIT_HTTP_URL}), in order and in batches of JSON
 * lines. The trail itself is the outbox: a cursor file next to it remembers how far the sink has acknowledged, so
 * nothing is lost while the sink is down and nothing is sent twice once it has said 2xx (a batch that failed is sent
 * again whole; the sink can de-duplicate on {@code seq}).
 */
public class AuditShipper {

    public static final String CURSOR_FILE = "http-sink-cursor.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The entries after the cursor, as the body to send, and where the cursor goes once the sink has them. */
    public record Batch(String body, int entries, long firstSeq, long lastSeq, String endFile, long endOffset) {}

    private final Path auditDir;
    private final Path cursorFile;
    private final String url;
    private final String token;
    private final int maxEntries;

    public AuditShipper(Path auditDir, String url, String token, int maxEntries) {
        this.auditDir = auditDir;
        this.cursorFile = auditDir.resolve(CURSOR_FILE);
        this.url = url;
        this.token = token;
        this.maxEntries = maxEntries;
    }

    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    public String url() {
        return url;
    }

    /** {@code Bearer <token>} when a token is set, else empty (no header). */
    public String authorization() {
        return token == null || token.isBlank() ? "" : "Bearer " + token;
    }

    /**
     * The next batch of complete lines after the cursor, from one file of the trail; null when there is nothing new
     * (or no sink). When the cursor's file is done and a later day's file exists, the batch comes from that one.
     */
    public synchronized Batch next() throws IOException {
        if (!enabled()) {
            return null;
        }
        Batch batch = nextAfterCursor();
        if (batch == null) {
            waitingSince = null;
        } else if (waitingSince == null) {
            waitingSince = java.time.Instant.now();
        }
        return batch;
    }

    /**
     * Since when entries have been waiting for the sink: set when the shipper first finds entries the sink has not
     * acknowledged, cleared when the sink takes a batch or nothing waits (null then). A healthy sink keeps this under
     * one shipping interval; a sink that is down lets it grow.
     */
    private java.time.Instant waitingSince;

    /** How long entries have waited for the sink (zero when none wait, or without a sink). */
    public synchronized java.time.Duration lag(java.time.Instant now) {
        return waitingSince == null ? java.time.Duration.ZERO : java.time.Duration.between(waitingSince, now);
    }

    private Batch nextAfterCursor() throws IOException {
        List<Path> files = AuditTrail.files(auditDir);
        JsonNode cursor = Files.exists(cursorFile) ? JSON.readTree(cursorFile.toFile()) : null;
        String cursorFileName = cursor == null ? null : cursor.path("file").asText(null);
        long offset = cursor == null ? 0 : cursor.path("offset").asLong(0);
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (cursorFileName != null && !name.equals(cursorFileName) && !later(name, cursorFileName)) {
                continue; // shipped already
            }
            Batch batch = read(file, cursorFileName != null && name.equals(cursorFileName) ? offset : 0);
            if (batch != null) {
                return batch;
            }
        }
        return null;
    }

    /** Whether trail file {@code name} comes after {@code other} in chain order (the legacy file comes first). */
    private static boolean later(String name, String other) {
        if (other.equals(AuditTrail.LEGACY_FILE_NAME)) {
            return !name.equals(other);
        }
        return !name.equals(AuditTrail.LEGACY_FILE_NAME) && name.compareTo(other) > 0;
    }

    private Batch read(Path file, long offset) throws IOException {
        StringBuilder body = new StringBuilder();
        int entries = 0;
        long firstSeq = -1;
        long lastSeq = -1;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file);
                java.io.InputStream in = new java.io.BufferedInputStream(
                        java.nio.channels.Channels.newInputStream(channel.position(offset)), 64 * 1024)) {
            long position = offset;
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            long consumed = 0;
            int b;
            while (entries < maxEntries && (b = in.read()) >= 0) {
                consumed++;
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                position = offset + consumed;
                long lineSeq = seqOf(text);
                if (lineSeq >= 0) {
                    lastSeq = lineSeq;
                    if (firstSeq < 0) {
                        firstSeq = lastSeq;
                    }
                }
                body.append(text).append('\n');
                entries++;
            }
            // a last line without its newline is still being written: it waits for the next batch
            return entries == 0 ? null : new Batch(body.toString(), entries, firstSeq, lastSeq,
                    file.getFileName().toString(), position);
        }
    }

    /**
     * The seq of a line, or -1 for a line that is not an entry: it is shipped as it is (the sink keeps what the trail
     * holds; verify-audit reports it) rather than stopping the shipper for good.
     */
    private static long seqOf(String line) {
        try {
            return JSON.readTree(line).path("seq").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The sink took the batch: the cursor moves past it. */
    public synchronized void shipped(Batch batch) throws IOException {
        ObjectNode cursor = JSON.createObjectNode().put("file", batch.endFile()).put("offset", batch.endOffset())
                .put("lastSeq", batch.lastSeq());
        Path temporary = cursorFile.resolveSibling(CURSOR_FILE + ".tmp");
        Files.write(temporary, JSON.writeValueAsBytes(cursor));
        Files.move(temporary, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        waitingSince = null; // entries after this batch are counted from when they are next found
    }

}
