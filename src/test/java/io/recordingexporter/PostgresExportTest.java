package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.audit.AuditVerifier;
import io.recordingexporter.audit.ChainReader;
import io.recordingexporter.audit.CopiedChains;
import io.recordingexporter.verification.ExportVerifier;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two exporter nodes on one PostgreSQL ledger (the set-up replicas use), fed through one node's webhook: every
 * recording of the org is exported, and exported once: one STORED entry per recording across both nodes' audit trails;
 * their Genesys calls spend from the budget in the ledger; their reconcile polls run once per tick.
 */
class PostgresExportTest {

    @Test
    void twoNodesOnOnePostgresLedgerExportEveryRecordingOnce() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(12, 21)) {
            String ledgerUrl = TestPostgres.newDatabase();
            environment.properties().putAll(Map.of("exporter.db.url", ledgerUrl,
                    "exporter.db.user", TestPostgres.USER, "exporter.db.password", ""));
            environment.startExporter();
            environment.startOtherNode("node-b", Map.of());
            for (SimulatedOrg.Conversation conversation : environment.org().conversations()) {
                assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(),
                        false)).statusCode());
            }
            Set<String> recordings = new HashSet<>();
            for (SimulatedOrg.Conversation conversation : environment.org().conversations()) {
                JsonNode custody = environment.awaitCustody(conversation.id(), ExporterTestEnvironment::allStored,
                        Duration.ofSeconds(120));
                custody.path("recordings").forEach(item -> recordings.add(item.path("recordingId").asText()));
                for (JsonNode item : custody.path("recordings")) {
                    SimulatedOrg.Recording simulated = conversation.recordings().stream()
                            .filter(r -> r.id().equals(item.path("recordingId").asText())).findFirst().orElseThrow();
                    assertEquals(environment.org().sha256Of(simulated.id()),
                            environment.sha256OfObject(item.path("s3Key").asText()), "bytes in S3 as served");
                }
            }
            assertEquals(environment.org().recordingCount(), recordings.size(), "every recording of the org");
            try (Connection ledger = DriverManager.getConnection(ledgerUrl, TestPostgres.USER, "");
                    ResultSet budget = ledger.createStatement().executeQuery(
                            "SELECT refilled_at_ms FROM rate_budget WHERE name = 'genesys'")) {
                assertTrue(budget.next() && budget.getLong(1) > 0, "the Genesys calls spent from the shared budget");
            }
            environment.stopExporter();

            List<String> stored = new ArrayList<>();
            for (Path trail : List.of(environment.dir().resolve("audit"), environment.dir().resolve("audit-node-b"))) {
                AuditTrail.lines(trail).stream().filter(line -> line.contains("\"event\":\"STORED\""))
                        .map(line -> line.replaceAll(".*\"recordingId\":\"([^\"]+)\".*", "$1")).forEach(stored::add);
            }
            assertEquals(recordings, new HashSet<>(stored), "every recording has its STORED entry");
            // each node's chain against its own digests, which both nodes wrote beside each other at their stop
            List<AuditVerifier.DigestObject> digests = new ArrayList<>();
            for (var object : environment.objectsUnder("genesys/_audit/digests/")) {
                digests.add(new AuditVerifier.DigestObject(object.key(), environment.object(object.key())));
            }
            assertTrue(digests.stream().anyMatch(d -> d.key().contains("/node-b/"))
                    && digests.stream().anyMatch(d -> d.key().contains("/test-node/")), "digests of both nodes");
            List<Path> trails = List.of(environment.dir().resolve("audit"), environment.dir().resolve("audit-node-b"));
            for (Path trail : trails) {
                AuditVerifier.Verdict verdict = AuditVerifier.verify(trail, digests);
                assertTrue(verdict.intact(), trail + ": " + verdict);
            }
            // verify-export over both chains finds every STORED entry; over one, the ledger's copy of the other
            // node's chain supplies its entries (as when that node's disk is gone), and each copied chain verifies
            try (Connection ledger = DriverManager.getConnection(ledgerUrl, TestPostgres.USER, "")) {
                ExportVerifier.Report both = new ExportVerifier(ledger, environment.s3(), ExporterTestEnvironment.BUCKET, trails, false)
                        .between(Instant.EPOCH, Instant.now());
                assertTrue(both.clean() && both.recordingsChecked() == recordings.size(), both.findings().toString());
                ExportVerifier.Report firstOnly = new ExportVerifier(ledger, environment.s3(), ExporterTestEnvironment.BUCKET,
                        trails.get(0), false).between(Instant.EPOCH, Instant.now());
                assertTrue(firstOnly.clean() && firstOnly.recordingsChecked() == recordings.size(),
                        firstOnly.findings().toString());
                assertEquals(List.of("node-b", "test-node"), CopiedChains.nodes(ledger));
                for (String node : CopiedChains.nodes(ledger)) {
                    try (ChainReader copied = CopiedChains.lines(ledger, node)) {
                        AuditVerifier.Verdict verdict = AuditVerifier.verify(node, copied, digests);
                        assertTrue(verdict.intact(), node + ": " + verdict);
                    }
                }
                ledger.createStatement().execute("DELETE FROM audit_copy");
                ExportVerifier.Report withoutCopy = new ExportVerifier(ledger, environment.s3(),
                        ExporterTestEnvironment.BUCKET, trails.get(0), false).between(Instant.EPOCH, Instant.now());
                long storedByB = AuditTrail.lines(trails.get(1)).stream()
                        .filter(line -> line.contains("\"event\":\"STORED\"")).count();
                assertEquals(2 * storedByB, withoutCopy.findings().size(), "without the copy, node b's recordings: no"
                        + " STORED entry, and a sidecar naming an entry not in the trail: " + withoutCopy.findings());
            }
            assertEquals(stored.size(), new HashSet<>(stored).size(), "and only one, on one node: " + stored);
            assertTrue(stored.size() > 0);
        }
    }

    /** The reconcile poll's Quartz fires on both nodes every 2 s; Genesys sees one poll per tick. */
    @Test
    void thePollRunsOncePerTickAcrossNodes() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(4, 22)) {
            environment.properties().putAll(Map.of("exporter.db.url", TestPostgres.newDatabase(),
                    "exporter.db.user", TestPostgres.USER, "exporter.db.password", "",
                    "exporter.poll.enabled", "true", "exporter.poll.cron", "0/2 * * * * ?"));
            environment.startExporter();
            environment.startOtherNode("node-b", Map.of());
            // past the first polls, which may split the initial look-back into several windows
            Instant deadline = Instant.now().plusSeconds(30);
            while (environment.genesys().detailsJobIntervals().size() < 2) {
                assertTrue(Instant.now().isBefore(deadline), "the poll runs");
                Thread.sleep(100);
            }
            Thread.sleep(2500);
            int before = environment.genesys().detailsJobIntervals().size();
            Thread.sleep(10_000);
            int polls = environment.genesys().detailsJobIntervals().size() - before;
            assertTrue(polls >= 3 && polls <= 6, "5 ticks of 2 s in 10 s, one poll each, not one per node: " + polls
                    + " " + environment.genesys().detailsJobIntervals());
        }
    }
}

