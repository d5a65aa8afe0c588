package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.sandbox.ReplicaProcess;
import io.recordingexporter.sandbox.Sandbox;
import io.recordingexporter.sandbox.SandboxCluster;
import io.recordingexporter.sandbox.SandboxFaults;
import io.recordingexporter.sandbox.ScratchFolder;
import io.recordingexporter.sandbox.LedgerCounts;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The scale-out acceptance run (mvn -B -Pacceptance verify; CI runs it after the suite, with radosgw): three exporter
 * processes of the packaged jar on one PostgreSQL ledger export an org of at least 1,000 recordings into an Object
 * Lock bucket on radosgw, webhooks spread over them; one is killed with SIGKILL mid-run, holding claims, and not
 * restarted. Then: every recording stored exactly once (one object version per media key), none FAILED, no incident,
 * the killed replica's claims finished by the others after their leases, its chain anchored by a survivor; Genesys saw
 * no 429 and at most 300 calls in any minute, and one reconcile poll per tick; with the killed replica's folder gone,
 * verify-audit --ledger and verify-export pass over every chain.
 */
class ClusterAcceptance {

    /** A bucket of this run's own (radosgw may outlive a run, as on a developer's machine). */
    private static final String BUCKET = "cluster-acceptance-" + System.currentTimeMillis();
    private static final int CONVERSATIONS = 800;
    private static final String POLL_CRON = "0/10 * * * * ?";
    private static final Duration POLL_TICK = Duration.ofSeconds(10);

    /** Kept after the run (the replicas' logs and data, the verifiers' output) for a look when it fails. */
    private final Path dir = Path.of("target", "cluster-acceptance").toAbsolutePath();

    @Test
    void threeReplicasOnOnePostgresExportEveryRecordingOnceThoughOneIsKilled() throws Exception {
        String endpoint = Radosgw.endpoint();
        if (Files.exists(dir)) {
            ScratchFolder.delete(dir);
        }
        try (S3Client radosgw = Radosgw.client(endpoint)) {
            radosgw.createBucket(request -> request.bucket(BUCKET).objectLockEnabledForBucket(true));
        }
        Sandbox.Options options = new Sandbox.Options(CONVERSATIONS, 20261202L, "webhook", SandboxFaults.none(),
                SimulatedOrg.MediaSizes.SMALL, "cluster-webhook-token");
        Path data = dir.resolve("data");
        try (Sandbox sandbox = Sandbox.start(options, data);
                SandboxCluster cluster = SandboxCluster.start(sandbox, data, 3, new SandboxCluster.Storage(endpoint,
                        BUCKET, Radosgw.ACCESS_KEY, Radosgw.SECRET_KEY, true), Map.of("EXPORTER_POLL_CRON", POLL_CRON))) {
            int recordings = sandbox.org().recordingCount();
            assertTrue(recordings >= 1000, "an org of at least 1,000 recordings: " + recordings);
            Instant started = Instant.now();
            int pollsBefore = sandbox.genesys().detailsJobIntervals().size();
            cluster.startWebhooks();

            ReplicaProcess victim = cluster.replicas().get(1);
            Set<String> claimedByVictim = killMidRun(cluster, victim, recordings);
            LedgerCounts counts = awaitIdle(cluster, started);
            awaitAnchored(cluster, victim.nodeId());
            Duration run = Duration.between(started, Instant.now());
            Map<String, Object> summary = cluster.summary(counts, started);
            String context = summary + "\n" + cluster.logs();

            assertEquals((long) recordings, summary.get("stored"), context);
            assertEquals(0L, summary.get("failed"), context);
            assertEquals(0, summary.get("incidents"), context);
            assertEquals(0L, summary.get("http429"), "no 429 from Genesys: " + context);
            int mostInAMinute = (int) summary.get("mostGenesysCallsInAnyMinute");
            assertTrue(mostInAMinute <= 300, "at most 300 Genesys calls in any minute: " + mostInAMinute);
            Map<String, Long> storedBy = cluster.storedByReplica();
            assertEquals(3, storedBy.size(), "all three stored recordings: " + storedBy);
            assertTrue(storedBy.values().stream().allMatch(stored -> stored > 0), storedBy.toString());
            assertTakenOver(cluster, victim.nodeId(), claimedByVictim);
            assertOneStoredEntryEach(cluster, victim.nodeId(), claimedByVictim, recordings);
            // counted up to now: the replicas kept polling while the summary read every object back
            int polls = sandbox.genesys().detailsJobIntervals().size() - pollsBefore;
            long ticks = Duration.between(started, Instant.now()).toSeconds() / POLL_TICK.toSeconds() + 1;
            assertTrue(polls >= 1 && polls <= ticks + 1, "one reconcile poll per tick across the replicas: " + polls
                    + " polls in " + ticks + " ticks: " + sandbox.genesys().detailsJobIntervals());
            assertOneVersionPerMediaKey(endpoint, cluster, recordings);
            System.out.printf("cluster acceptance: %d recordings in %d s by %s; %d Genesys calls, at most %d in a"
                    + " minute; %d polls in %d ticks; %d claims of %s taken over%n", recordings, run.toSeconds(),
                    storedBy, sandbox.genesys().apiCalls(), mostInAMinute, polls, ticks, claimedByVictim.size(),
                    victim.nodeId());

            Map<String, Integer> exits = cluster.stopReplicas();
            assertTrue(exits.values().stream().allMatch(code -> code == 0 || code == 143), "graceful stops: " + exits);
            ScratchFolder.delete(victim.dir()); // the killed replica's volume is gone
            Map<String, String> env = new HashMap<>(cluster.replicaEnvironment());
            env.put("EXPORTER_AUDIT_DIR", cluster.replicas().get(0).auditDir().toString());
            String audit = verifier(env, "verify-audit", "--ledger");
            assertTrue(audit.startsWith("exit 0") && audit.contains("chain " + victim.nodeId() + " (ledger copy)"),
                    audit);
            String export = verifier(env, "verify-export", "--from", "2000-01-01T00:00:00Z", "--to",
                    Instant.now().plus(Duration.ofDays(1)).toString());
            assertTrue(export.startsWith("exit 0") && export.contains(recordings + " recording(s) checked, 0 problem(s)"),
                    export);
        }
    }

    /**
     * Once a quarter of the org is stored, and the victim holds claims on recordings in progress: SIGKILL. The
     * recordings it held then.
     */
    private static Set<String> killMidRun(SandboxCluster cluster, ReplicaProcess victim, int recordings)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        try (Connection ledger = DriverManager.getConnection(cluster.ledgerUrl(), TestPostgres.USER, "")) {
            while (Instant.now().isBefore(deadline)) {
                long stored = count(ledger, "SELECT COUNT(*) FROM recording_item WHERE state = 'STORED'");
                Set<String> claimed = claimedBy(ledger, victim.nodeId());
                if (stored >= recordings / 4 && !claimed.isEmpty()) {
                    victim.kill();
                    claimed.addAll(claimedBy(ledger, victim.nodeId()));
                    return claimed;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the victim never held a claim mid-run: " + cluster.logs());
    }

    private static Set<String> claimedBy(Connection ledger, String nodeId) throws Exception {
        Set<String> claimed = new HashSet<>();
        try (PreparedStatement select = ledger.prepareStatement("SELECT recording_id FROM recording_item"
                + " WHERE state = 'IN_PROGRESS' AND lease_owner = ?")) {
            select.setString(1, nodeId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getString(1));
                }
            }
        }
        return claimed;
    }

    private static LedgerCounts awaitIdle(SandboxCluster cluster, Instant started) throws Exception {
        LedgerCounts[] counts = new LedgerCounts[1];
        Thread waiting = new Thread(() -> {
            try {
                counts[0] = cluster.awaitIdle(started);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "await-idle");
        waiting.start();
        waiting.join(TimeUnit.MINUTES.toMillis(12));
        if (counts[0] == null) {
            waiting.interrupt();
            throw new AssertionError("the backlog was not exported within 12 minutes\n" + cluster.logs());
        }
        return counts[0];
    }

    /** A survivor anchors the killed replica's chain once it has been silent for a lease (60 s), at a digest (30 s). */
    private static void awaitAnchored(SandboxCluster cluster, String nodeId) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        try (Connection ledger = DriverManager.getConnection(cluster.ledgerUrl(), TestPostgres.USER, "")) {
            while (Instant.now().isBefore(deadline)) {
                if (count(ledger, "SELECT COUNT(*) FROM audit_chain WHERE node_id = '" + nodeId
                        + "' AND anchored_seq = last_seq AND last_digest_key LIKE '%-by-replica-%'") == 1) {
                    return;
                }
                Thread.sleep(1000);
            }
        }
        throw new AssertionError("no survivor anchored " + nodeId + "'s chain\n" + cluster.logs());
    }

    /**
     * Every claim the victim held ended STORED: by another replica, once (its STORED entry in another chain), unless
     * the victim finished it in the moment between the claims being read and the kill landing (its own chain has the
     * entry then, and no other does). At least one claim was taken over.
     */
    private static void assertTakenOver(SandboxCluster cluster, String victim, Set<String> claimed) throws Exception {
        assertTrue(!claimed.isEmpty());
        long takenOver = 0;
        try (Connection ledger = DriverManager.getConnection(cluster.ledgerUrl(), TestPostgres.USER, "")) {
            for (String recordingId : claimed) {
                assertEquals(1, count(ledger, "SELECT COUNT(*) FROM recording_item WHERE state = 'STORED' AND"
                        + " recording_id = '" + recordingId + "'"), recordingId + " stored");
                String storedEntry = "line LIKE '%\"event\":\"STORED\"%' AND line LIKE '%\"recordingId\":\""
                        + recordingId + "\"%'";
                long bySurvivors = count(ledger, "SELECT COUNT(*) FROM audit_copy WHERE node_id <> '" + victim
                        + "' AND " + storedEntry);
                long byVictim = count(ledger, "SELECT COUNT(*) FROM audit_copy WHERE node_id = '" + victim
                        + "' AND " + storedEntry);
                // (the victim may also have its STORED entry on disk for one a survivor stored: killed before its
                // ledger said STORED; assertOneStoredEntryEach allows that)
                assertTrue(bySurvivors == 1 || (bySurvivors == 0 && byVictim == 1), recordingId + " stored by a"
                        + " survivor once (" + bySurvivors + "), or by the victim before it died (" + byVictim + ")");
                takenOver += bySurvivors;
            }
        }
        assertTrue(takenOver > 0, "a survivor took over the victim's claims: " + takenOver + " of " + claimed.size());
    }

    /**
     * One STORED entry per recording across the chains, but for a recording the victim had written to S3 (and said
     * so in its chain) when it was killed, before the ledger heard of it: the survivor that took it over found the
     * object, adopted it (no second version) and wrote the STORED entry the ledger relies on. Those have two entries,
     * one in each chain.
     */
    private static void assertOneStoredEntryEach(SandboxCluster cluster, String victim, Set<String> claimed,
            int recordings) throws Exception {
        Map<String, List<String>> chainsByRecording = new HashMap<>();
        try (Connection ledger = DriverManager.getConnection(cluster.ledgerUrl(), TestPostgres.USER, "");
                ResultSet rows = ledger.createStatement().executeQuery("SELECT node_id, line FROM audit_copy"
                        + " WHERE line LIKE '%\"event\":\"STORED\"%'")) {
            while (rows.next()) {
                String recordingId = rows.getString(2).replaceAll(".*\"recordingId\":\"([^\"]+)\".*", "$1");
                chainsByRecording.computeIfAbsent(recordingId, r -> new ArrayList<>()).add(rows.getString(1));
            }
        }
        assertEquals(recordings, chainsByRecording.size(), "a STORED entry for every recording");
        chainsByRecording.forEach((recordingId, chains) -> assertTrue(chains.size() == 1 || (chains.size() == 2
                && claimed.contains(recordingId) && chains.contains(victim) && !chains.get(0).equals(chains.get(1))),
                recordingId + " has STORED entries in " + chains));
    }

    /** Object Lock buckets are versioned: a second write of a key would be a second version. */
    private static void assertOneVersionPerMediaKey(String endpoint, SandboxCluster cluster, int recordings)
            throws Exception {
        Set<String> mediaKeys = new HashSet<>();
        try (Connection ledger = DriverManager.getConnection(cluster.ledgerUrl(), TestPostgres.USER, "");
                ResultSet rows = ledger.createStatement().executeQuery(
                        "SELECT s3_key FROM recording_item WHERE state = 'STORED'")) {
            while (rows.next()) {
                mediaKeys.add(rows.getString(1));
            }
        }
        assertEquals(recordings, mediaKeys.size());
        Map<String, Integer> versions = new HashMap<>();
        try (S3Client radosgw = Radosgw.client(endpoint)) {
            for (ObjectVersion version : radosgw.listObjectVersionsPaginator(request -> request.bucket(BUCKET))
                    .versions()) {
                versions.merge(version.key(), 1, Integer::sum);
            }
        }
        List<String> rewritten = new ArrayList<>();
        for (String key : mediaKeys) {
            if (versions.getOrDefault(key, 0) != 1) {
                rewritten.add(key + " has " + versions.getOrDefault(key, 0) + " versions");
            }
        }
        assertEquals(List.of(), rewritten, "one version per media key");
    }

    /** Runs a verifier sub-command of the packaged jar as users do; "exit N" and its output. */
    private String verifier(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", Path.of("target/recording-exporter.jar").toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path output = dir.resolve(args[0] + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), args[0] + " finished");
        String text = Files.readString(output);
        return "exit " + process.exitValue() + "\n" + (text.length() > 6000 ? text.substring(text.length() - 6000)
                : text);
    }

    private static long count(Connection ledger, String sql) throws Exception {
        try (ResultSet row = ledger.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
