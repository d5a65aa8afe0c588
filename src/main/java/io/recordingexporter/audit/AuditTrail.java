package io.recordingexporter.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The append-only audit trail: one JSON line per event, each carrying {@code seq}, {@code ts}, {@code event}, the ids,
 * {@code lane}, {@code detail}, {@code prevHash} and {@code hash = SHA-256(prevHash ‖ canonical JSON of the entry)}.
 * The chain continues across restarts from the last line on disk. Custody events (STORED, FAILED) are forced to disk
 * before the call returns, so the ledger never claims more than the trail shows.
 */
public class AuditTrail implements AutoCloseable {

    /** The single file of trails written before daily files; read first, never written again. */
    public static final String LEGACY_FILE_NAME = "audit-trail.jsonl";
    /** The file next to the trail naming the replica whose chain it is (its digests in S3 name it too). */
    public static final String NODE_ID_FILE = "node-id";
    private static final java.util.regex.Pattern DAILY_FILE =
            java.util.regex.Pattern.compile("audit-\\d{4}-\\d{2}-\\d{2}\\.jsonl");
    static final String GENESIS_HASH = "0".repeat(64);
    private static final int COPY_BATCH = 64;
    private static final int COPY_MAX = 1000;
    private static final int RESTORE_BATCH = 1000;
    private static final Set<String> FORCED_EVENTS = Set.of("STORED", "FAILED", "AUDIT_REPAIRED", "SIDECAR_UPDATED");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditTrail.class);

    /** Canonical form: keys sorted, no insignificant whitespace. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final Path dir;
    private final Clock clock;
    private FileChannel channel;
    private java.time.LocalDate channelDay;
    private long seq;
    private String prevHash;
    /** Null when the trail has no copy off this disk (a replica on its own ledger). */
    private final ChainCopy copy;
    private final List<ChainCopy.Entry> uncopied = new java.util.ArrayList<>();

    /**
     * One file per UTC day ({@code audit-YYYY-MM-DD.jsonl}), one chain across all of them: the first entry of a day
     * links to the last entry of the day before. The chain continues across restarts from the last entry on disk.
     */
    public AuditTrail(Path dir, Clock clock) throws IOException {
        this(dir, clock, null);
    }

    /**
     * A trail whose entries are also copied to {@code copy}: at start the two are brought level (entries the copy
     * lacks are sent to it; entries only the copy has, because this disk lost them, are written back here first).
     */
    public AuditTrail(Path dir, Clock clock, ChainCopy copy) throws IOException {
        Files.createDirectories(dir);
        this.dir = dir;
        this.clock = clock;
        this.copy = copy;
        JsonNode last = null;
        Map<String, Object> repair = null;
        List<Path> files = files(dir);
        for (int i = files.size() - 1; i >= 0 && last == null; i--) {
            if (repair == null && Files.size(files.get(i)) > 0) {
                repair = AuditTailRepair.cutTornTail(files.get(i)); // only the file being written when the process stopped
            }
            last = lastEntry(files.get(i));
        }
        this.seq = last == null ? 0 : last.path("seq").asLong();
        this.prevHash = last == null ? GENESIS_HASH : last.path("hash").asText();
        if (copy != null) {
            levelWithCopy();
        }
        if (repair != null) {
            repair.put("resumedAfterSeq", seq);
            LOG.warn("The audit trail ended in a torn entry (a crash or a full disk while it was written): {} bytes cut"
                    + " from {}, the chain resumes after seq {}; the repair is the next entry", repair.get("droppedBytes"),
                    repair.get("file"), seq);
            append("AUDIT_REPAIRED", null, null, null, repair);
        }
    }

    /** The replica whose chain the trail in {@code dir} is; null when the folder does not say. */
    public static String nodeIdOf(Path dir) throws IOException {
        Path file = dir.resolve(NODE_ID_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String id = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).strip();
        return id.isEmpty() ? null : id;
    }

    /** The trail's files in chain order: the legacy single file first, then the daily files by date. */
    public static List<Path> files(Path dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        if (Files.isRegularFile(dir.resolve(LEGACY_FILE_NAME))) {
            files.add(dir.resolve(LEGACY_FILE_NAME));
        }
        if (Files.isDirectory(dir)) {
            try (java.util.stream.Stream<Path> listed = Files.list(dir)) {
                listed.filter(path -> DAILY_FILE.matcher(path.getFileName().toString()).matches()).sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** Every line of the trail, in chain order (for small trails: tests, tools). */
    public static List<String> lines(Path dir) throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        for (Path file : files(dir)) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** The file for the day of {@code at}, opened (and the previous day's closed) when the day changes. */
    private FileChannel channelFor(java.time.Instant at) throws IOException {
        java.time.LocalDate day = java.time.LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
        if (!day.equals(channelDay)) {
            if (channel != null) {
                channel.force(true);
                channel.close();
            }
            Path file = dir.resolve("audit-" + day + ".jsonl");
            boolean created = Files.notExists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            channelDay = day;
            if (created) {
                syncDirectory(); // a new day's file survives a crash only once its folder entry is on disk too
            }
        }
        return channel;
    }

    private void syncDirectory() {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            LOG.warn("The audit folder {} could not be synced after a new file was created: {}", dir, e.getMessage());
        }
    }

    /**
     * Records an event about whatever the pipeline carries at that point (an intake receipt, a recording, a failure,
     * a hold, a digest, a sidecar rewrite); returns the subject, carrying the hash of its entry where it names one (a
     * stored recording's sidecar and a rewritten sidecar do), so that a route sending here with {@code to} goes on
     * with it. Events a later step relies on (STORED, SIDECAR_UPDATED, FAILED) are on disk when this returns.
     */
    public Object record(String event, Object subject) throws IOException {
        String hash = null;
        for (AuditEntry entry : AuditEntries.about(event, subject)) {
            hash = append(entry);
        }
        return AuditEntries.withEntryHash(subject, hash);
    }

    private String append(AuditEntry entry) throws IOException {
        return append(entry.event(), entry.conversationId(), entry.recordingId(), entry.lane(), entry.detail());
    }

    synchronized String append(String event, String conversationId, String recordingId, String lane,
            Map<String, Object> detail) throws IOException {
        ObjectNode entry = CANONICAL.createObjectNode();
        java.time.Instant now = clock.instant();
        FileChannel channel = channelFor(now);
        entry.put("seq", seq + 1);
        entry.put("ts", now.toString());
        entry.put("event", event);
        entry.put("conversationId", conversationId);
        entry.put("recordingId", recordingId);
        entry.put("lane", lane);
        entry.set("detail", CANONICAL.valueToTree(detail));
        entry.put("prevHash", prevHash);
        String hash = hashOf(prevHash, canonical(entry));
        entry.put("hash", hash);
        byte[] line = (CANONICAL.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        long before = channel.size();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (FORCED_EVENTS.contains(event)) {
                channel.force(false);
            }
        } catch (IOException e) {
            // a partial write (a full disk) is rolled back: the trail keeps ending in a whole entry, the chain unmoved
            try {
                channel.truncate(before);
            } catch (IOException rollbackFailed) {
                e.addSuppressed(rollbackFailed); // the torn tail is cut at the next start
            }
            throw e;
        }
        seq++;
        prevHash = hash;
        if (copy != null) {
            uncopied.add(new ChainCopy.Entry(seq, hash, new String(line, 0, line.length - 1, StandardCharsets.UTF_8)));
            if (FORCED_EVENTS.contains(event) || event.equals("DEFERRED")) {
                copyNow(true); // the ledger relies on this entry next: it must be off this disk first
            } else if (uncopied.size() >= COPY_BATCH) {
                copyNow(false);
            }
        }
        return hash;
    }

    /**
     * Sends the entries not yet in the copy (and, with none, says this replica is alive); called every few seconds
     * and at every entry the ledger relies on. Nothing to do without a copy.
     */
    public synchronized void copyPending() throws IOException {
        if (copy != null) {
            copyNow(true);
        }
    }

    private IllegalStateException differentChains(long atSeq) {
        return new IllegalStateException("the ledger's copy of this replica's audit chain and the trail in "
                + dir.toAbsolutePath() + " differ at seq " + atSeq + ": they are two chains under one node id (another"
                + " process uses this EXPORTER_NODE_ID, or the audit folder was replaced); this process does not start");
    }

    private void copyNow(boolean required) throws IOException {
        try {
            do { // in batches: a first start on a shared ledger copies a long trail
                List<ChainCopy.Entry> batch = uncopied.subList(0, Math.min(uncopied.size(), COPY_MAX));
                copy.add(List.copyOf(batch));
                batch.clear();
            } while (!uncopied.isEmpty());
        } catch (RuntimeException e) {
            if (required) {
                throw new IOException("audit entries up to seq " + seq + " are on disk but not yet in the ledger's"
                        + " copy (" + e.getMessage() + "); they are sent again with the next entries", e);
            }
            LOG.warn("{} audit entries wait for the ledger's copy: {}", uncopied.size(), e.getMessage());
        }
    }

    /**
     * At start: the copy gets what it lacks of this trail; what only the copy has (this disk lost its trail, or its
     * last entries, and the replica came back under its node id) is written back here, continuing the chain, before
     * anything new is appended. A copy that does not continue this trail is another chain: the trail refuses it.
     */
    private void levelWithCopy() throws IOException {
        ChainHead copied = copy.head();
        long localEnd = seq;
        if (copied.seq() == seq && seq > 0 && !copied.hash().equals(prevHash)) {
            throw differentChains(seq);
        }
        if (copied.seq() > seq) {
            List<ChainCopy.Entry> missing = copy.after(seq, RESTORE_BATCH);
            while (!missing.isEmpty()) {
                for (ChainCopy.Entry entry : missing) {
                    JsonNode parsed = CANONICAL.readTree(entry.line());
                    if (entry.seq() != seq + 1 || !prevHash.equals(parsed.path("prevHash").asText())) {
                        throw differentChains(seq + 1);
                    }
                    FileChannel day = channelFor(java.time.Instant.parse(parsed.path("ts").asText()));
                    ByteBuffer buffer = ByteBuffer.wrap((entry.line() + "\n").getBytes(StandardCharsets.UTF_8));
                    while (buffer.hasRemaining()) {
                        day.write(buffer);
                    }
                    seq = entry.seq();
                    prevHash = entry.hash();
                }
                missing = copy.after(seq, RESTORE_BATCH);
            }
            channel.force(true);
            LOG.warn("The audit trail in {} ended at seq {}; entries up to seq {} were restored from the ledger's copy",
                    dir.toAbsolutePath(), localEnd, seq);
        } else if (copied.seq() < seq) {
            for (Path file : files(dir)) {
                try (java.io.BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        JsonNode parsed = CANONICAL.readTree(line);
                        if (parsed.path("seq").asLong() == copied.seq()
                                && !parsed.path("hash").asText().equals(copied.hash())) {
                            throw differentChains(copied.seq());
                        }
                        if (parsed.path("seq").asLong() > copied.seq()) {
                            uncopied.add(new ChainCopy.Entry(parsed.path("seq").asLong(), parsed.path("hash").asText(),
                                    line));
                            if (uncopied.size() >= COPY_MAX) {
                                copyNow(true);
                            }
                        }
                    }
                }
            }
            copyNow(true);
        }
    }

    /** Where the chain stands: the last entry's {@code seq} (0 when empty) and hash. */
    public record ChainHead(long seq, String hash) {}

    public synchronized ChainHead head() {
        return new ChainHead(seq, prevHash);
    }

    /** The head, once every entry up to it is forced to disk: what a digest may vouch for. */
    public synchronized ChainHead headOnDisk() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
        return new ChainHead(seq, prevHash);
    }

    /** The canonical JSON of an entry without its own hash: sorted keys, compact. */
    static String canonical(ObjectNode entry) throws IOException {
        ObjectNode copy = entry.deepCopy();
        copy.remove("hash");
        Object sorted = CANONICAL.treeToValue(copy, Object.class);
        return CANONICAL.writeValueAsString(sorted);
    }

    static String hashOf(String prevHash, String canonicalEntry) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prevHash.getBytes(StandardCharsets.UTF_8));
            sha256.update(canonicalEntry.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode lastEntry(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return null;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long position = end - 1;
            // skip the trailing newline, then walk back to the start of the last line
            while (position > 0) {
                raf.seek(position - 1);
                if (raf.read() == '\n' && position < end - 1) {
                    break;
                }
                position--;
            }
            raf.seek(position);
            byte[] line = new byte[(int) (end - position)];
            raf.readFully(line);
            return CANONICAL.readTree(new String(line, StandardCharsets.UTF_8).trim());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
        }
    }
}
