package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.ledger.OperationsSnapshot;
import io.recordingexporter.sandbox.LedgerCounts;
import io.recordingexporter.sandbox.LedgerStatistics;
import io.recordingexporter.sandbox.SimulatedOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Archived recordings against the simulated Genesys's archive policy (the older half of the org archived, a restore
 * taking 3 s, an org allowance of 10 restorations of which the exporter may spend half): each archived recording the
 * allowance lasts for is restored (RESTORE_REQUESTED on the trail) and stored with its bytes; the others wait,
 * DEFERRED with no deadline, the exhaustion told once (one incident, one trail entry, the ledger's mark the gauge
 * reads); none is FAILED, and the recordings never archived are stored as usual. Once the org's allowance is renewed
 * the waiting ones are restored and stored by themselves, and the mark is cleared.
 */
class ArchivedRecordingsTest {

    private static final int MAX_RESTORATIONS = 10;
    private static final int EXPORTER_SHARE = MAX_RESTORATIONS / 2;

    @Test
    void archivedRecordingsAreRestoredWhileTheAllowanceLastsAndTheRestWaitWithOneIncident() throws Exception {
        try (ExporterTestEnvironment environment = new ExporterTestEnvironment(16, 77)) {
            List<SimulatedOrg.Conversation> byStart = environment.org().conversations().stream()
                    .sorted(Comparator.comparing(SimulatedOrg.Conversation::start)).toList();
            Instant archivedBefore = byStart.get(byStart.size() / 2).start();
            long archived = byStart.stream().filter(c -> c.start().isBefore(archivedBefore))
                    .mapToLong(c -> c.recordings().size()).sum();
            long total = environment.org().recordingCount();
            assertTrue(archived > EXPORTER_SHARE, "more archived recordings than the share: " + archived);
            environment.genesys().withArchive(archivedBefore, Duration.ofSeconds(3), MAX_RESTORATIONS);
            environment.startExporter(Map.of("genesys.restore.max-share", "0.5",
                    "exporter.retry.archived.base-delay-ms", "500", "exporter.retry.archived.max-delay-ms", "2000"));
            for (SimulatedOrg.Conversation conversation : byStart) {
                assertEquals(202, environment.postWebhook(ExporterTestEnvironment.simpleWebhook(conversation.id(),
                        false)).statusCode());
            }

            LedgerStatistics statistics = new LedgerStatistics(environment.exporterLedger().store());
            long expectedStored = total - archived + EXPORTER_SHARE;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            LedgerCounts counts = statistics.counts();
            while (counts.recordings("STORED") < expectedStored && Instant.now().isBefore(deadline)) {
                Thread.sleep(300);
                counts = statistics.counts();
            }
            assertEquals(expectedStored, counts.recordings("STORED"), "the unarchived and the restored: " + counts);
            // the waiting ones are read again on their backoff (each then briefly IN_PROGRESS): they stay DEFERRED,
            // nothing more is restored
            Thread.sleep(2500);
            long waiting = archived - EXPORTER_SHARE;
            OperationsSnapshot.Counts operations;
            Instant settle = Instant.now().plus(Duration.ofSeconds(10));
            do {
                Thread.sleep(100);
                counts = statistics.counts();
                operations = environment.exporterLedger().operations().read();
            } while ((counts.recordings("DEFERRED") != waiting
                    || operations.archivedByLane().values().stream().mapToLong(Long::longValue).sum() != waiting)
                    && Instant.now().isBefore(settle));
            assertEquals(expectedStored, counts.recordings("STORED"), "restores " + environment.genesys().restoresStarted()
                    + ", archived " + archived + ", total " + total);
            assertEquals(waiting, counts.recordings("DEFERRED"), "the rest wait: " + counts);
            assertEquals(waiting, operations.archivedByLane().values().stream().mapToLong(Long::longValue).sum(),
                    "counted apart as archived");
            assertEquals(0, counts.recordings("FAILED"), "none FAILED");
            assertEquals(EXPORTER_SHARE, environment.genesys().restoresStarted(), "restores within the share");
            assertEquals(MAX_RESTORATIONS - EXPORTER_SHARE, environment.genesys().restorationsRemaining(),
                    "the rest of the allowance left to people");

            assertEquals(Map.of("PENDING", 1L), environment.exporterLedger().incidents().incidentOutboxCounts(),
                    "one incident for the exhausted allowance");
            assertNotNull(operations.restoreAllowanceExhaustedSince(), "the ledger marks the allowance used up");

            ObjectMapper json = new ObjectMapper();
            long restoresAudited = 0;
            long exhaustionsAudited = 0;
            for (String line : AuditTrail.lines(environment.dir().resolve("audit"))) {
                JsonNode entry = json.readTree(line);
                switch (entry.path("event").asText()) {
                    case "RESTORE_REQUESTED" -> {
                        restoresAudited++;
                        assertEquals(MAX_RESTORATIONS, entry.path("detail").path("maxAllowedRestorationsForOrg").asInt());
                        assertTrue(Instant.parse(entry.path("detail").path("restoreExpirationTime").asText())
                                .isAfter(Instant.now().plus(Duration.ofHours(71))), entry.toString());
                    }
                    case "RESTORE_ALLOWANCE_EXHAUSTED" -> exhaustionsAudited++;
                    default -> { }
                }
            }
            assertEquals(EXPORTER_SHARE, restoresAudited, "each restore on the trail");
            assertEquals(1, exhaustionsAudited, "the exhaustion told once");

            for (SimulatedOrg.Conversation conversation : byStart) {
                for (JsonNode item : environment.custody(conversation.id()).path("recordings")) {
                    if (!item.path("state").asText().equals("STORED")) {
                        assertTrue(conversation.start().isBefore(archivedBefore), "only archived ones wait");
                        assertTrue(item.path("lastError").asText().contains("ARCHIVED"), item.toString());
                    }
                }
            }

            // the allowance renewed (20, of which half is the exporter's): the waiting ones are restored and
            // stored by themselves, and the ledger's mark is cleared
            environment.genesys().renewRestorations(2 * MAX_RESTORATIONS);
            deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (statistics.counts().recordings("STORED") < total && Instant.now().isBefore(deadline)) {
                Thread.sleep(300);
            }
            assertEquals(total, statistics.counts().recordings("STORED"), "every archived one, once restorations came");
            assertEquals(null, environment.exporterLedger().operations().read().restoreAllowanceExhaustedSince());
            assertEquals(1, environment.exporterLedger().incidents().incidentOutboxCounts().values().stream()
                    .mapToLong(Long::longValue).sum(), "still the one incident");

            for (SimulatedOrg.Conversation conversation : byStart) {
                JsonNode custody = environment.custody(conversation.id());
                for (JsonNode item : custody.path("recordings")) {
                    assertEquals(environment.org().sha256Of(item.path("recordingId").asText()),
                            item.path("sha256").asText(), "the bytes Genesys restored: " + item);
                }
            }
        }
    }
}
