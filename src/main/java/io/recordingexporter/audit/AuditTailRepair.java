package io.recordingexporter.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repair of a trail file whose last line was torn by a crash or a full disk while it was written. */
final class AuditTailRepair {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTailRepair() {}

    /**
     * A crash (or a full disk) mid-write leaves a torn last line: bytes after the last newline, or a last line that is
     * not a whole entry. They are cut off, so the chain can go on from the last whole entry (nothing relied on the torn
     * one: an entry is forced to disk before the ledger or a digest counts on it); what was cut, and its SHA-256, is
     * returned for the audit trail to record. Null when the file ends cleanly.
     */
    static Map<String, Object> cutTornTail(Path file) throws IOException {
        byte[] tail;
        long keep;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long end = raf.length();
            keep = lineStartBefore(raf, end, end > 0 && byteAt(raf, end - 1) == '\n');
            if (keep == end || wholeEntry(raf, keep, end)) {
                return null;
            }
            tail = new byte[(int) Math.min(Integer.MAX_VALUE - 8, end - keep)];
            raf.seek(keep);
            raf.readFully(tail);
            raf.getChannel().truncate(keep);
            raf.getChannel().force(true);
        }
        Map<String, Object> repair = new LinkedHashMap<>();
        repair.put("file", file.getFileName().toString());
        repair.put("keptBytes", keep);
        repair.put("droppedBytes", tail.length);
        repair.put("droppedSha256", HexFormat.of().formatHex(sha256(tail)));
        return repair;
    }

    /**
     * Where the last line starts: after the last newline before {@code end}, skipping the file's final newline when
     * {@code endsWithNewline} (then the last line is whole and is checked as an entry).
     */
    private static long lineStartBefore(RandomAccessFile raf, long end, boolean endsWithNewline) throws IOException {
        long position = endsWithNewline ? end - 1 : end;
        while (position > 0 && byteAt(raf, position - 1) != '\n') {
            position--;
        }
        return position;
    }

    /** Whether {@code [from, to)} is one whole entry: a JSON object with its seq and hash, ending in a newline. */
    private static boolean wholeEntry(RandomAccessFile raf, long from, long to) throws IOException {
        if (to - from < 2 || byteAt(raf, to - 1) != '\n' || to - from > 16 * 1024 * 1024) {
            return false;
        }
        byte[] line = new byte[(int) (to - from)];
        raf.seek(from);
        raf.readFully(line);
        try {
            JsonNode entry = JSON.readTree(new String(line, StandardCharsets.UTF_8).trim());
            return entry != null && entry.isObject() && entry.path("seq").isNumber() && entry.path("hash").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    private static int byteAt(RandomAccessFile raf, long position) throws IOException {
        raf.seek(position);
        return raf.read();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
