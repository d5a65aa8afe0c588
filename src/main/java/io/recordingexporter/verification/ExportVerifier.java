package io.recordingexporter.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.audit.ChainReader;
import io.recordingexporter.audit.CopiedChains;
import io.recordingexporter.custody.S3KeyLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Re-checks exported recordings end to end, reading everything again: each media object is streamed back from S3 and
 * its SHA-256 recomputed, then compared with the ledger, the sidecar's {@code custody.sha256} and the audit trail's
 * STORED entry (in the trail of whichever replica exported it, or in the shared ledger's copy of its chain); legal-hold objects must carry their Object Lock legal
 * hold (when holds are on); objects in a
 * conversation's folder that the ledger does not know are reported as extra. Reads only: nothing is changed.
 */
public final class ExportVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = "SELECT recording_id, conversation_id, state, s3_key, s3_version_id, sha256,"
            + " legal_hold FROM recording_item WHERE ";

    /** One problem with one recording (or one object nobody recorded). */
    public record Finding(String conversationId, String recordingId, String kind, String detail) {

        @Override
        public String toString() {
            return kind + " " + (recordingId == null ? "" : recordingId + " ") + "(conversation " + conversationId + "): "
                    + detail;
        }
    }

    public record Report(int recordingsChecked, List<Finding> findings) {

        public boolean clean() {
            return findings.isEmpty();
        }
    }

    private final Connection ledger;
    private final S3Client s3;
    private final String bucket;
    private final List<Path> auditDirs;
    private final boolean holdsExpected;

    public ExportVerifier(Connection ledger, S3Client s3, String bucket, Path auditDir, boolean holdsExpected) {
        this(ledger, s3, bucket, List.of(auditDir), holdsExpected);
    }

    /** @param auditDirs the trails of every replica that exported (each replica writes its own chain) */
    public ExportVerifier(Connection ledger, S3Client s3, String bucket, List<Path> auditDirs, boolean holdsExpected) {
        this.ledger = ledger;
        this.s3 = s3;
        this.bucket = bucket;
        this.auditDirs = List.copyOf(auditDirs);
        this.holdsExpected = holdsExpected;
    }

    public Report conversation(String conversationId) throws IOException, SQLException {
        try (PreparedStatement select = ledger.prepareStatement(SELECT + "conversation_id = ? ORDER BY recording_id")) {
            select.setString(1, conversationId);
            return check(select);
        }
    }

    /** Every recording of the conversations that started in [from, to). */
    public Report between(Instant from, Instant to) throws IOException, SQLException {
        try (PreparedStatement select = ledger.prepareStatement(SELECT
                + "conversation_start >= ? AND conversation_start < ? ORDER BY conversation_id, recording_id")) {
            select.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            select.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            return check(select);
        }
    }

    private Report check(PreparedStatement select) throws IOException, SQLException {
        Map<String, String> auditedSha = new HashMap<>();
        Map<String, Set<String>> storedHashes = new HashMap<>();
        storedEntries(auditedSha, storedHashes);
        List<Finding> findings = new ArrayList<>();
        Map<String, Set<String>> knownKeysByFolder = new HashMap<>();
        Map<String, String> conversationOfFolder = new HashMap<>();
        int checked = 0;
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                checked++;
                String recordingId = rows.getString(1);
                String conversationId = rows.getString(2);
                String state = rows.getString(3);
                String key = rows.getString(4);
                String versionId = rows.getString(5);
                String sha256 = rows.getString(6);
                boolean legalHold = rows.getBoolean(7);
                if (!"STORED".equals(state) || key == null) {
                    findings.add(new Finding(conversationId, recordingId, "MISSING", "not exported (ledger state " + state + ")"));
                    continue;
                }
                String folder = key.substring(0, key.lastIndexOf('/') + 1);
                String sidecarKey = S3KeyLayout.sidecarKeyBeside(key, recordingId);
                knownKeysByFolder.computeIfAbsent(folder, f -> new LinkedHashSet<>()).addAll(List.of(key, sidecarKey));
                conversationOfFolder.put(folder, conversationId);
                checkMedia(findings, conversationId, recordingId, key, versionId, sha256);
                checkSidecar(findings, conversationId, recordingId, sidecarKey, sha256, legalHold,
                        storedHashes.getOrDefault(recordingId, Set.of()));
                String audited = auditedSha.get(recordingId);
                if (audited == null) {
                    findings.add(new Finding(conversationId, recordingId, "AUDIT", "no STORED entry in the audit trail"));
                } else if (!audited.equals(sha256)) {
                    findings.add(new Finding(conversationId, recordingId, "AUDIT",
                            "the STORED entry says sha256 " + audited + ", the ledger " + sha256));
                }
                if (legalHold && holdsExpected) {
                    checkHold(findings, conversationId, recordingId, key, versionId);
                }
            }
        }
        for (Map.Entry<String, Set<String>> folder : knownKeysByFolder.entrySet()) {
            for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(folder.getKey()))
                    .contents()) {
                if (!folder.getValue().contains(object.key())) {
                    findings.add(new Finding(conversationOfFolder.get(folder.getKey()), null, "EXTRA",
                            "s3://" + bucket + "/" + object.key() + " is not in the ledger"));
                }
            }
        }
        return new Report(checked, findings);
    }

    private void checkMedia(List<Finding> findings, String conversationId, String recordingId, String key,
            String versionId, String sha256) throws IOException {
        try (InputStream in = s3.getObject(request -> request.bucket(bucket).key(key).versionId(versionId))) {
            String actual = sha256Of(in);
            if (!actual.equals(sha256)) {
                findings.add(new Finding(conversationId, recordingId, "ALTERED",
                        "s3://" + bucket + "/" + key + " hashes to " + actual + ", exported as " + sha256));
            }
        } catch (NoSuchKeyException e) {
            findings.add(new Finding(conversationId, recordingId, "MISSING", "s3://" + bucket + "/" + key + " is gone"));
        }
    }

    private void checkSidecar(List<Finding> findings, String conversationId, String recordingId, String sidecarKey,
            String sha256, boolean legalHold, Set<String> auditedHashes) throws IOException {
        try (InputStream in = s3.getObject(request -> request.bucket(bucket).key(sidecarKey))) {
            JsonNode sidecar = JSON.readTree(in);
            String said = sidecar.path("custody").path("sha256").asText("");
            if (!said.equals(sha256)) {
                findings.add(new Finding(conversationId, recordingId, "ALTERED",
                        "sidecar " + sidecarKey + " says sha256 " + said + ", the ledger " + sha256));
            }
            String entry = sidecar.path("custody").path("auditEntryHash").asText("");
            if (!auditedHashes.contains(entry)) {
                findings.add(new Finding(conversationId, recordingId, "AUDIT", "sidecar " + sidecarKey
                        + " names audit entry '" + entry + "', which is not a STORED entry of this recording"));
            }
            boolean sidecarHold = sidecar.path("custody").path("legalHold").asBoolean(false);
            if (sidecarHold != legalHold) {
                findings.add(new Finding(conversationId, recordingId, "HOLD-SIDECAR", "sidecar " + sidecarKey
                        + " says legalHold=" + sidecarHold + ", the ledger " + legalHold));
            }
            JsonNode update = sidecar.path("custody").path("legalHoldUpdate");
            if (!update.isMissingNode() && !auditedHashes.contains(update.path("auditEntryHash").asText(""))) {
                findings.add(new Finding(conversationId, recordingId, "AUDIT", "sidecar " + sidecarKey
                        + " names hold update entry '" + update.path("auditEntryHash").asText("")
                        + "', which is not a SIDECAR_UPDATED entry of this recording"));
            }
        } catch (NoSuchKeyException e) {
            findings.add(new Finding(conversationId, recordingId, "MISSING", "sidecar " + sidecarKey + " is gone"));
        }
    }

    private void checkHold(List<Finding> findings, String conversationId, String recordingId, String key,
            String versionId) {
        String status;
        try {
            status = s3.getObjectLegalHold(request -> request.bucket(bucket).key(key).versionId(versionId))
                    .legalHold().statusAsString();
        } catch (S3Exception e) {
            status = "none (" + e.statusCode() + ")";
        }
        if (!"ON".equals(status)) {
            findings.add(new Finding(conversationId, recordingId, "HOLD-MISSING",
                    "under legal hold, but s3://" + bucket + "/" + key + " has Object Lock legal hold " + status));
        }
    }

    /**
     * Per recording: the sha256 of its last STORED entry, and the hashes of all its STORED and SIDECAR_UPDATED entries
     * (a sidecar names one of each kind).
     */
    private void storedEntries(Map<String, String> stored, Map<String, Set<String>> hashes) throws IOException,
            SQLException {
        List<Path> files = new ArrayList<>();
        for (Path auditDir : auditDirs) {
            files.addAll(AuditTrail.files(auditDir));
        }
        java.util.function.Consumer<String> custodyLine = line -> {
            boolean storedEntry = line.contains("\"event\":\"STORED\"");
            if (storedEntry || line.contains("\"event\":\"SIDECAR_UPDATED\"")) {
                JsonNode entry;
                try {
                    entry = JSON.readTree(line);
                } catch (IOException e) {
                    return; // not an entry: verify-audit reports it
                }
                if (storedEntry) {
                    stored.put(entry.path("recordingId").asText(), entry.path("detail").path("sha256").asText());
                }
                hashes.computeIfAbsent(entry.path("recordingId").asText(), r -> new java.util.HashSet<>())
                        .add(entry.path("hash").asText());
            }
        };
        try (ChainReader lines = ChainReader.of(files)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                custodyLine.accept(line);
            }
        }
        // replicas on a shared ledger: every replica's chain is copied there, that of one whose disk is gone too
        CopiedChains.custodyLines(ledger, custodyLine);
    }

    private static String sha256Of(InputStream in) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha256.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
