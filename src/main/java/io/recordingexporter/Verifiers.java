package io.recordingexporter;

import io.recordingexporter.custody.AuditDigests;
import io.recordingexporter.custody.AuditVerifier;
import io.recordingexporter.custody.ExportVerifier;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxS3;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The verifier sub-commands of the jar, for people and scripts: {@code verify-audit}, {@code verify-export} and
 * {@code verify-completeness}. They
 * read the service's own settings from the same environment variables (with the same defaults) and change nothing.
 * With {@code --sandbox} they read the sandbox's S3 under {@code ./data/s3}. Exit codes: 0 all good, 1 a problem
 * found, 2 could not check (bad arguments, storage unreadable).
 */
public final class Verifiers {

    private Verifiers() {}

    /** S3 as the service sees it (or the sandbox's), open for one command. */
    private record Storage(S3Client s3, String bucket, String prefix, SandboxS3 sandboxS3) implements AutoCloseable {

        static Storage open(boolean sandbox) throws Exception {
            String bucket = sandbox ? Sandbox.BUCKET : env("EXPORTER_S3_BUCKET", "recordings");
            SandboxS3 sandboxS3 = sandbox ? SandboxS3.start(Path.of("data/s3"), bucket, Sandbox.freePort()) : null;
            String endpoint = sandbox ? sandboxS3.endpoint() : env("EXPORTER_S3_ENDPOINT", "");
            S3ClientBuilder builder = ExporterBeans.s3ClientBuilder(endpoint, env("AWS_REGION", "eu-west-2"));
            if (sandbox) {
                builder.credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY)));
            }
            return new Storage(builder.build(), bucket, env("EXPORTER_S3_PREFIX", "genesys"), sandboxS3);
        }

        @Override
        public void close() throws Exception {
            s3.close();
            if (sandboxS3 != null) {
                sandboxS3.close();
            }
        }
    }

    /**
     * {@code verify-audit [dir] [--sandbox] [--no-digests]}: walks the audit chain in {@code dir} (default:
     * EXPORTER_AUDIT_DIR, else {@code ./data/audit}) and checks it against the digest objects in S3.
     */
    public static int verifyAudit(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean sandbox = rest.remove("--sandbox");
        boolean digests = !rest.remove("--no-digests");
        Path dir = Path.of(!rest.isEmpty() ? rest.get(0) : env("EXPORTER_AUDIT_DIR", "data/audit"));
        List<AuditVerifier.DigestObject> found = new ArrayList<>();
        if (digests) {
            try (Storage storage = Storage.open(sandbox)) {
                String prefix = AuditDigests.digestsPrefix(storage.prefix());
                for (var object : storage.s3().listObjectsV2Paginator(r -> r.bucket(storage.bucket()).prefix(prefix))
                        .contents()) {
                    found.add(new AuditVerifier.DigestObject(object.key(), storage.s3().getObjectAsBytes(
                            r -> r.bucket(storage.bucket()).key(object.key())).asByteArray()));
                }
            } catch (Exception e) {
                System.err.println("verify-audit: the digests in S3 cannot be read (" + e.getMessage()
                        + "); --no-digests checks the local chain alone");
                return 2;
            }
        }
        try {
            AuditVerifier.Verdict verdict = AuditVerifier.verify(dir, found);
            System.out.println("verify-audit " + dir + " against " + found.size() + " digest(s): " + verdict);
            return verdict.intact() ? 0 : 1;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("verify-audit " + dir + ": cannot read the audit trail: " + e.getMessage());
            return 2;
        }
    }

    /**
     * {@code verify-export --conversation <id> | --from <instant> --to <instant> [--sandbox]}: re-reads the exported
     * recordings of one conversation, or of the conversations that started in [from, to), and reports what is
     * missing, altered, extra or lacks its legal hold. The ledger is EXPORTER_DB_URL (default the embedded H2 file
     * under ./data, which a running service holds open: stop it first, or use the shared PostgreSQL ledger).
     */
    public static int verifyExport(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean sandbox = rest.remove("--sandbox");
        String conversation = option(rest, "--conversation");
        String from = option(rest, "--from");
        String to = option(rest, "--to");
        if (!rest.isEmpty() || (conversation == null) == (from == null || to == null)) {
            System.err.println("usage: verify-export --conversation <conversationId> | --from <ISO instant> --to <ISO instant>"
                    + " [--sandbox]");
            return 2;
        }
        boolean holds = !sandbox && !"off".equalsIgnoreCase(env("EXPORTER_S3_OBJECT_LOCK", "on"));
        try (Storage storage = Storage.open(sandbox); Connection ledger = readOnlyLedger()) {
            ExportVerifier verifier = new ExportVerifier(ledger, storage.s3(), storage.bucket(),
                    Path.of(env("EXPORTER_AUDIT_DIR", "data/audit")), holds);
            ExportVerifier.Report report = conversation != null ? verifier.conversation(conversation)
                    : verifier.between(Instant.parse(from), Instant.parse(to));
            report.findings().forEach(finding -> System.out.println(finding));
            System.out.println("verify-export: " + report.recordingsChecked() + " recording(s) checked, "
                    + report.findings().size() + " problem(s)" + (report.clean() ? ": OK" : ""));
            return report.clean() ? 0 : 1;
        } catch (java.time.format.DateTimeParseException e) {
            System.err.println("verify-export: --from and --to take ISO instants such as 2026-11-01T00:00:00Z");
            return 2;
        } catch (Exception e) {
            System.err.println("verify-export: cannot check (" + e.getMessage() + ")");
            return 2;
        }
    }

    /**
     * {@code verify-completeness --from <instant> --to <instant> [--calls-per-minute n] [--sandbox]}: asks Genesys
     * which recordings the conversations that started in [from, to) have (synchronous details query, batch downloads
     * of 100 conversations as listings; its own budget of n calls a minute, default 60, beside the service's) and
     * prints NOT-EXPORTED for each one the ledger does not hold STORED or S3 does not have. With {@code --sandbox} it
     * asks a simulator of the sandbox's org (SANDBOX_* as the sandbox reads them) and reads the sandbox's S3 and
     * ledger under ./data.
     */
    public static int verifyCompleteness(String[] args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean sandbox = rest.remove("--sandbox");
        String from = option(rest, "--from");
        String to = option(rest, "--to");
        String rate = option(rest, "--calls-per-minute");
        if (!rest.isEmpty() || from == null || to == null) {
            System.err.println("usage: verify-completeness --from <ISO instant> --to <ISO instant>"
                    + " [--calls-per-minute n] [--sandbox]");
            return 2;
        }
        Sandbox simulated = null;
        try {
            int callsPerMinute = rate == null ? 60 : Integer.parseInt(rate);
            if (callsPerMinute < 1 || callsPerMinute > 300) {
                System.err.println("verify-completeness: --calls-per-minute must be 1 to 300 (Genesys allows 300 a token)");
                return 2;
            }
            Instant start = Instant.parse(from);
            Instant end = Instant.parse(to);
            String apiBase;
            String loginBase;
            String clientId;
            String clientSecret;
            S3Client s3;
            String bucket;
            if (sandbox) {
                // what Genesys has now: every screen recording uploaded long since
                simulated = Sandbox.start(Sandbox.Options.fromEnvironment().withLateScreenDelay(java.time.Duration.ZERO),
                        Path.of("data"));
                apiBase = simulated.genesys().baseUrl();
                loginBase = apiBase;
                clientId = Sandbox.CLIENT_ID;
                clientSecret = Sandbox.CLIENT_SECRET;
                s3 = ExporterBeans.s3ClientBuilder(simulated.s3Endpoint(), env("AWS_REGION", "eu-west-2"))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(SandboxS3.ACCESS_KEY, SandboxS3.SECRET_KEY))).build();
                bucket = Sandbox.BUCKET;
            } else {
                io.recordingexporter.genesys.GenesysHosts hosts = io.recordingexporter.genesys.GenesysHosts.of(
                        env("GENESYS_REGION", "eu_west_2"), env("GENESYS_API_BASE_URL", ""),
                        env("GENESYS_LOGIN_BASE_URL", ""));
                apiBase = hosts.apiBaseUrl();
                loginBase = hosts.loginBaseUrl();
                clientId = env("GENESYS_CLIENT_ID", "");
                clientSecret = env("GENESYS_CLIENT_SECRET", "");
                s3 = ExporterBeans.s3ClientBuilder(env("EXPORTER_S3_ENDPOINT", ""), env("AWS_REGION", "eu-west-2")).build();
                bucket = env("EXPORTER_S3_BUCKET", "recordings");
            }
            try (s3; Connection ledger = readOnlyLedger()) {
                var check = io.recordingexporter.discovery.CompletenessCheck.connect(apiBase, loginBase, clientId,
                        clientSecret, callsPerMinute, ledger, s3, bucket);
                io.recordingexporter.discovery.CompletenessCheck.Report report = check.between(start, end);
                report.missing().forEach(System.out::println);
                System.out.println("verify-completeness: " + report.conversations() + " conversation(s), "
                        + report.recordings() + " recording(s) listed by Genesys, " + report.missing().size()
                        + " not exported" + (report.complete() ? ": OK" : "") + " (" + check.callsMade()
                        + " Genesys calls)");
                return report.complete() ? 0 : 1;
            }
        } catch (java.time.format.DateTimeParseException | NumberFormatException e) {
            System.err.println("verify-completeness: --from and --to take ISO instants such as 2026-11-01T00:00:00Z,"
                    + " --calls-per-minute a whole number");
            return 2;
        } catch (Exception e) {
            System.err.println("verify-completeness: cannot check (" + e.getMessage() + ")");
            return 2;
        } finally {
            if (simulated != null) {
                try {
                    simulated.close();
                } catch (Exception e) {
                    // closing the simulated parts cannot change the verdict
                }
            }
        }
    }

    /** The service's ledger (EXPORTER_DB_URL, default the embedded H2 file under ./data), opened to read only. */
    private static Connection readOnlyLedger() throws java.sql.SQLException {
        Connection ledger = DriverManager.getConnection(
                env("EXPORTER_DB_URL", "jdbc:h2:file:./data/ledger;DB_CLOSE_ON_EXIT=FALSE"),
                env("EXPORTER_DB_USER", "sa"), env("EXPORTER_DB_PASSWORD", ""));
        ledger.setReadOnly(true);
        return ledger;
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            return null;
        }
        String value = args.get(at + 1);
        args.remove(at + 1);
        args.remove(at);
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
