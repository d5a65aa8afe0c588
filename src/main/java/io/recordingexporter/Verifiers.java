package io.recordingexporter;

import io.recordingexporter.audit.AuditDigests;
import io.recordingexporter.audit.AuditVerifier;
import io.recordingexporter.audit.ChainReader;
import io.recordingexporter.audit.CopiedChains;
import io.recordingexporter.discovery.CompletenessCheck;
import io.recordingexporter.verification.ExportVerifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The verifier sub-commands of the jar, for people and scripts: {@code verify-audit}, {@code verify-export} and
 * {@code verify-completeness}. They
 * read what {@link VerifierSources} gives them (the service's settings from its environment, or the sandbox's parts)
 * and change nothing. Exit codes: 0 all good, 1 a problem found, 2 could not check (bad arguments, storage
 * unreadable).
 */
public final class Verifiers {

    private Verifiers() {}

    /**
     * {@code verify-audit [dir] [--no-digests]}: walks the audit chain in {@code dir} (default:
     * EXPORTER_AUDIT_DIR, else {@code ./data/audit}) and checks it against the digest objects in S3.
     * {@code verify-audit --ledger}: every replica's chain as the shared ledger's copy holds it, each against its
     * node's digests, and every node with digests in the bucket must have its chain there.
     */
    public static int verifyAudit(String[] args, VerifierSources sources) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean digests = !rest.remove("--no-digests");
        boolean ledgerCopy = rest.remove("--ledger");
        Path dir = !rest.isEmpty() ? Path.of(rest.get(0)) : sources.auditDir();
        List<AuditVerifier.DigestObject> found = new ArrayList<>();
        if (digests) {
            try {
                found = digestObjects(sources.storage());
            } catch (Exception e) {
                System.err.println("verify-audit: the digests in S3 cannot be read (" + e.getMessage()
                        + "); --no-digests checks the local chain alone");
                return 2;
            }
        }
        if (ledgerCopy) {
            return verifyCopiedChains(sources, found);
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

    private static List<AuditVerifier.DigestObject> digestObjects(VerifierSources.Storage storage) {
        List<AuditVerifier.DigestObject> found = new ArrayList<>();
        String prefix = AuditDigests.digestsPrefix(storage.prefix());
        for (var object : storage.s3().listObjectsV2Paginator(r -> r.bucket(storage.bucket()).prefix(prefix))
                .contents()) {
            found.add(new AuditVerifier.DigestObject(object.key(), storage.s3().getObjectAsBytes(
                    r -> r.bucket(storage.bucket()).key(object.key())).asByteArray()));
        }
        return found;
    }

    /** One line per chain of the ledger's copy; 0 when every one is intact and every digested node has one. */
    private static int verifyCopiedChains(VerifierSources sources, List<AuditVerifier.DigestObject> digests) {
        try (Connection ledger = sources.readOnlyLedger()) {
            List<String> nodes = CopiedChains.nodes(ledger);
            if (nodes.isEmpty()) {
                System.err.println("verify-audit --ledger: the ledger holds no copy of any chain (replicas copy their"
                        + " chains only to a shared PostgreSQL ledger)");
                return 2;
            }
            boolean intact = true;
            for (String node : nodes) {
                List<AuditVerifier.DigestObject> ofNode = digests.stream()
                        .filter(digest -> node.equals(AuditVerifier.nodeOf(digest))).toList();
                try (ChainReader lines = CopiedChains.lines(ledger, node)) {
                    AuditVerifier.Verdict verdict = AuditVerifier.verify(node, lines, ofNode);
                    System.out.println("verify-audit chain " + node + " (ledger copy) against " + ofNode.size()
                            + " digest(s): " + verdict);
                    intact &= verdict.intact();
                }
            }
            java.util.Set<String> digested = new java.util.TreeSet<>();
            digests.forEach(digest -> digested.add(AuditVerifier.nodeOf(digest)));
            digested.removeAll(nodes);
            digested.remove("?"); // digests from before digests named their node
            for (String node : digested) {
                System.out.println("verify-audit chain " + node + ": digests in S3 but no chain in the ledger's copy");
                intact = false;
            }
            return intact ? 0 : 1;
        } catch (Exception e) {
            System.err.println("verify-audit --ledger: cannot check (" + e.getMessage() + ")");
            return 2;
        }
    }

    /**
     * {@code verify-export --conversation <id> | --from <instant> --to <instant>}: re-reads the exported
     * recordings of one conversation, or of the conversations that started in [from, to), and reports what is
     * missing, altered, extra or lacks its legal hold. The ledger is EXPORTER_DB_URL (default the embedded H2 file
     * under ./data, which a running service holds open: stop it first, or use the shared PostgreSQL ledger). With
     * replicas, {@code --audit-dir} names each one's trail (repeated); the default is this service's.
     */
    public static int verifyExport(String[] args, VerifierSources sources) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String conversation = option(rest, "--conversation");
        String from = option(rest, "--from");
        String to = option(rest, "--to");
        List<Path> auditDirs = new ArrayList<>();
        for (String dir = option(rest, "--audit-dir"); dir != null; dir = option(rest, "--audit-dir")) {
            auditDirs.add(Path.of(dir));
        }
        if (!rest.isEmpty() || (conversation == null) == (from == null || to == null)) {
            System.err.println("usage: verify-export --conversation <conversationId> | --from <ISO instant> --to <ISO instant>"
                    + " [--audit-dir <dir>]... [--sandbox]");
            return 2;
        }
        if (auditDirs.isEmpty()) {
            auditDirs.add(sources.auditDir());
        }
        try (Connection ledger = sources.readOnlyLedger()) {
            VerifierSources.Storage storage = sources.storage();
            ExportVerifier verifier = new ExportVerifier(ledger, storage.s3(), storage.bucket(), auditDirs,
                    sources.objectLockExpected());
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
     * prints NOT-EXPORTED for each one the ledger does not hold STORED or S3 does not have.
     */
    public static int verifyCompleteness(String[] args, VerifierSources sources) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        String from = option(rest, "--from");
        String to = option(rest, "--to");
        String rate = option(rest, "--calls-per-minute");
        if (!rest.isEmpty() || from == null || to == null) {
            System.err.println("usage: verify-completeness --from <ISO instant> --to <ISO instant>"
                    + " [--calls-per-minute n] [--sandbox]");
            return 2;
        }
        try {
            int callsPerMinute = rate == null ? 60 : Integer.parseInt(rate);
            if (callsPerMinute < 1 || callsPerMinute > 300) {
                System.err.println("verify-completeness: --calls-per-minute must be 1 to 300 (Genesys allows 300 a token)");
                return 2;
            }
            Instant start = Instant.parse(from);
            Instant end = Instant.parse(to);
            VerifierSources.Genesys genesys = sources.genesys();
            VerifierSources.Storage storage = sources.storage();
            try (Connection ledger = sources.readOnlyLedger()) {
                var check = CompletenessCheck.connect(genesys.apiBaseUrl(), genesys.loginBaseUrl(), genesys.clientId(),
                        genesys.clientSecret(), callsPerMinute, ledger, storage.s3(), storage.bucket());
                CompletenessCheck.Report report = check.between(start, end);
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
}
