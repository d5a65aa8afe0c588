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
 * The verifier sub-commands of the jar, for people and scripts: {@code verify-audit} and {@code verify-export}. They
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
        try (Storage storage = Storage.open(sandbox);
                Connection ledger = DriverManager.getConnection(
                        env("EXPORTER_DB_URL", "jdbc:h2:file:./data/ledger;DB_CLOSE_ON_EXIT=FALSE"),
                        env("EXPORTER_DB_USER", "sa"), env("EXPORTER_DB_PASSWORD", ""))) {
            ledger.setReadOnly(true);
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
