package io.recordingexporter.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.VerifierSources;
import io.recordingexporter.Verifiers;
import io.recordingexporter.verification.ExportVerifier;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * verify-export after a sandbox run: clean at first; then one byte of one exported object is altered in the S3
 * server's store, one media object removed and one stray object added, and exactly those are reported.
 */
class ExportVerifierTest {

    /** A client of the sandbox's S3 server, started again on its folder after the run. */
    static S3Client clientOf(SandboxS3 server) {
        return S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.EU_WEST_2).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY))).build();
    }

    /** The run's H2 ledger, opened after the run. */
    static Connection ledgerOf(Path dir) throws java.sql.SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "");
    }

    @Test
    void reportsTheAlteredTheMissingAndTheExtraAndNothingElse(@TempDir Path dir) throws Exception {
        Sandbox.Options options = new Sandbox.Options(24, 5, "webhook",
                SandboxFaults.parse("", Instant.now(), Duration.ZERO), SimulatedOrg.MediaSizes.SMALL, "verify-token")
                .withLateScreenDelay(Duration.ofSeconds(5));
        JsonNode summary = InProcessSandbox.run(options, dir, Map.of());
        assertEquals(summary.path("recordings").asInt(), summary.path("stored").asInt(), summary.toString());

        try (SandboxS3 server = SandboxS3.start(dir.resolve("s3"), Sandbox.BUCKET, Sandbox.freePort());
                S3Client s3 = clientOf(server);
                Connection ledger = ledgerOf(dir)) {
            ExportVerifier verifier = new ExportVerifier(ledger, s3, Sandbox.BUCKET, dir.resolve("audit"), false);
            Instant from = Instant.parse("2000-01-01T00:00:00Z");
            Instant to = Instant.parse("2100-01-01T00:00:00Z");
            ExportVerifier.Report clean = verifier.between(from, to);
            assertEquals(summary.path("recordings").asInt(), clean.recordingsChecked());
            assertTrue(clean.clean(), clean.findings().toString());

            List<Path> media;
            try (Stream<Path> files = Files.walk(dir.resolve("s3").resolve(Sandbox.BUCKET))) {
                media = files.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().matches("[0-9a-f-]{36}\\.[a-z0-9]+"))
                        .filter(p -> p.toFile().length() > 1000).sorted().toList();
            }
            Path altered = media.get(0);
            Path removed = media.get(1);
            try (RandomAccessFile file = new RandomAccessFile(altered.toFile(), "rw")) {
                file.seek(500);
                int b = file.read();
                file.seek(500);
                file.write(b ^ 0x01);
            }
            String alteredOnly = altered.getFileName().toString().substring(0, 36);
            ExportVerifier.Report afterOneByte = verifier.between(from, to);
            assertEquals(1, afterOneByte.findings().size(), "one altered byte, one finding: " + afterOneByte.findings());
            assertEquals("ALTERED", afterOneByte.findings().get(0).kind());
            assertEquals(alteredOnly, afterOneByte.findings().get(0).recordingId());

            String removedId = removed.getFileName().toString().substring(0, 36);
            String alteredId = altered.getFileName().toString().substring(0, 36);
            String removedKey = Sandbox.BUCKET.isEmpty() ? null
                    : dir.resolve("s3").resolve(Sandbox.BUCKET).relativize(removed).toString().replace('\\', '/');
            s3.deleteObject(request -> request.bucket(Sandbox.BUCKET).key(removedKey));
            String strayKey = removedKey.substring(0, removedKey.lastIndexOf('/') + 1) + "stray.bin";
            s3.putObject(request -> request.bucket(Sandbox.BUCKET).key(strayKey),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("not an export"));

            ExportVerifier.Report report = verifier.between(from, to);
            assertEquals(3, report.findings().size(), report.findings().toString());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind().equals("ALTERED")
                    && f.recordingId().equals(alteredId)), report.findings().toString());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind().equals("MISSING")
                    && f.recordingId().equals(removedId)), report.findings().toString());
            assertTrue(report.findings().stream().anyMatch(f -> f.kind().equals("EXTRA")
                    && f.detail().contains("stray.bin")), report.findings().toString());

            String conversationOfAltered;
            try (ResultSet row = ledger.createStatement().executeQuery(
                    "SELECT conversation_id FROM recording_item WHERE recording_id = '" + alteredId + "'")) {
                row.next();
                conversationOfAltered = row.getString(1);
            }
            ExportVerifier.Report one = verifier.conversation(conversationOfAltered);
            assertEquals(1, one.findings().size(), one.findings().toString());

            // the ledger says held, the sidecar does not (a hold whose new sidecar version is not written yet)
            String unheldId;
            try (ResultSet row = ledger.createStatement().executeQuery("SELECT recording_id FROM recording_item"
                    + " WHERE legal_hold = FALSE AND recording_id NOT IN ('" + alteredId + "', '" + removedId + "')"
                    + " ORDER BY recording_id")) {
                row.next();
                unheldId = row.getString(1);
            }
            ledger.createStatement().executeUpdate("UPDATE recording_item SET legal_hold = TRUE WHERE recording_id = '"
                    + unheldId + "'");
            ExportVerifier.Report disagreeing = verifier.between(from, to);
            assertEquals(4, disagreeing.findings().size(), disagreeing.findings().toString());
            assertTrue(disagreeing.findings().stream().anyMatch(f -> f.kind().equals("HOLD-SIDECAR")
                    && f.recordingId().equals(unheldId)), disagreeing.findings().toString());
        }
        // accounted for: every recording Genesys lists is in the ledger and in S3, except exactly those taken away
        try (Sandbox simulated = Sandbox.start(options.withLateScreenDelay(Duration.ZERO), dir);
                S3Client s3 = S3Client.builder().endpointOverride(URI.create(simulated.s3Endpoint())).forcePathStyle(true)
                        .region(Region.EU_WEST_2).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY))).build();
                Connection ledger = DriverManager.getConnection(
                        "jdbc:h2:file:" + dir.resolve("ledger").toAbsolutePath(), "sa", "")) {
            var check = io.recordingexporter.discovery.CompletenessCheck.connect(simulated.genesys().baseUrl(),
                    simulated.genesys().baseUrl(), Sandbox.CLIENT_ID, Sandbox.CLIENT_SECRET, 60, ledger, s3,
                    Sandbox.BUCKET);
            Instant from = Instant.parse("2000-01-01T00:00:00Z");
            Instant to = Instant.parse("2100-01-01T00:00:00Z");
            var before = check.between(from, to);
            assertEquals(summary.path("recordings").asInt(), before.recordings(), "Genesys lists every recording");
            assertEquals(1, before.missing().size(), "only the object removed from S3 above: " + before.missing());

            List<String> taken = new java.util.ArrayList<>();
            try (ResultSet rows = ledger.createStatement().executeQuery(
                    "SELECT recording_id FROM recording_item ORDER BY recording_id DESC")) {
                for (int i = 0; i < 2 && rows.next(); i++) {
                    taken.add(rows.getString(1));
                }
            }
            for (String id : taken) {
                ledger.createStatement().executeUpdate("DELETE FROM recording_item WHERE recording_id = '" + id + "'");
            }
            var after = check.between(from, to);
            assertEquals(3, after.missing().size(), after.missing().toString());
            for (String id : taken) {
                assertTrue(after.missing().stream().anyMatch(m -> m.recordingId().equals(id) && m.ledgerState() == null),
                        "reported: " + id + " in " + after.missing());
            }
        }
        VerifierSources environment = VerifierSources.fromConfiguration();
        assertEquals(2, Verifiers.verifyCompleteness(new String[] {"--from", "2026-01-01T00:00:00Z"}, environment),
                "--to is missing");
        assertEquals(2, Verifiers.verifyExport(new String[] {"--from", "2026-01-01T00:00:00Z"}, environment),
                "--to is missing");
        assertEquals(2, Verifiers.verifyExport(new String[] {"--conversation"}, environment), "no id");
    }
}
