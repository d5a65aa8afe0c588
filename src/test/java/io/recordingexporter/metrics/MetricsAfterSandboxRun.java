package io.recordingexporter.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.recordingexporter.ExporterBeans;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The operators' questions, asked of {@code /observe/metrics} as scraped at the end of a sandbox run with every fault
 * injected ({@code data/sandbox-metrics.prom}), and each answer checked against what the run's summary and the ledger
 * say happened.
 */
public final class MetricsAfterSandboxRun {

    private MetricsAfterSandboxRun() {}

    public static void check(Path scrapeFile, JsonNode summary) throws IOException {
        PrometheusScrape scrape = PrometheusScrape.read(scrapeFile);
        long stored = summary.path("stored").asLong();

        // recordings by lane and outcome, bytes by lane, end-to-stored latency per lane
        assertEquals(stored, (long) scrape.sum("exporter_recordings_total", Map.of("outcome", "stored")),
                "every STORED recording counted once");
        assertEquals(0, scrape.sum("exporter_recordings_total", Map.of("outcome", "failed")));
        assertEquals(summary.path("bytes").asLong(), (long) scrape.sum("exporter_stored_bytes_total"), "bytes stored");
        assertEquals(stored, (long) scrape.sum("exporter_conversation_end_to_stored_seconds_count"),
                "one latency per recording stored");
        assertTrue(scrape.sum("exporter_conversation_end_to_stored_seconds_sum") > 0);
        assertEquals(stored, (long) scrape.sum("exporter_conversation_end_to_stored_seconds_bucket",
                Map.of("lane", "voice", "le", "+Inf")) + (long) scrape.sum(
                "exporter_conversation_end_to_stored_seconds_bucket", Map.of("lane", "screen", "le", "+Inf"))
                + (long) scrape.sum("exporter_conversation_end_to_stored_seconds_bucket",
                        Map.of("lane", "screen-legal-hold", "le", "+Inf"))
                + (long) scrape.sum("exporter_conversation_end_to_stored_seconds_bucket",
                        Map.of("lane", "digital", "le", "+Inf")), "a histogram per lane");

        // backlog by lane and state, oldest waiting age against the lane's goal: all done, nothing waiting
        assertEquals(stored, (long) scrape.sum("exporter_ledger_recordings", Map.of("state", "STORED")));
        for (String state : new String[] {"PENDING", "IN_PROGRESS", "DEFERRED", "FAILED"}) {
            assertEquals(0, scrape.sum("exporter_ledger_recordings", Map.of("state", state)), state);
        }
        for (String lane : ExporterBeans.LANES) {
            assertEquals(0, scrape.sum("exporter_backlog_oldest_age_seconds", Map.of("lane", lane)), lane);
            assertEquals(0, scrape.sum("exporter_backlog_locked_recordings", Map.of("lane", lane)), lane + " lock over");
            assertTrue(scrape.sum("exporter_lane_goal_seconds", Map.of("lane", lane)) >= 3600, lane);
        }
        assertEquals(0, scrape.sum("exporter_ledger_conversations", Map.of("state", "PENDING")));
        assertEquals(summary.path("conversations").asLong(),
                (long) scrape.sum("exporter_ledger_conversations", Map.of("state", "EXPANDED")));
        assertEquals(0, scrape.sum("exporter_conversations_oldest_waiting_age_seconds"));
        assertEquals(1, scrape.sum("exporter_ledger_up"));

        // retries by lane and failure class: the injected lock (409) deferred legal-hold recordings, drops and 500s
        // were tried again inline
        assertTrue(scrape.sum("exporter_retries_total", Map.of("failure_class", "conflict", "kind", "deferred")) > 0,
                "lock-409 deferrals counted");
        assertTrue(scrape.sum("exporter_retries_total", Map.of("kind", "inline")) > 0, "inline redeliveries counted");

        // Genesys calls by endpoint and status, the budget and its pauses
        long http429 = summary.path("http429").asLong();
        assertTrue(http429 > 0, "429s were injected");
        assertTrue(scrape.sum("genesys_api_requests_total", Map.of("status", "429")) > 0, "429 answers counted");
        assertTrue(scrape.sum("genesys_api_requests_total", Map.of("status", "202",
                "endpoint", "POST /api/v2/recording/batchrequests")) > 0, "batch downloads counted by endpoint");
        assertTrue(scrape.sum("genesys_api_requests_total", Map.of("status", "409")) > 0, "locked recordings counted");
        assertTrue(scrape.sum("genesys_rate_budget_pauses_total") > 0, "Retry-After paused the budget");
        assertTrue(scrape.sum("genesys_rate_budget_available") >= 0);
        assertTrue(scrape.sum("genesys_api_calls_total") >= scrape.sum("genesys_api_requests_total")
                - scrape.sumOrZero("genesys_api_requests_total", Map.of("status", "no_reply")),
                "every answered call spent a permit");

        // circuit breakers: S3 went down and came back
        assertTrue(scrape.sum("exporter_circuit_breaker_opened_total", Map.of("breaker", "s3")) > 0, "s3-down opened it");
        for (String breaker : new String[] {"s3", "genesys"}) {
            assertEquals(1, scrape.sum("exporter_circuit_breaker_state", Map.of("breaker", breaker, "state", "closed")),
                    breaker + " closed again at the end");
            assertEquals(1, scrape.sum("exporter_circuit_breaker_state", Map.of("breaker", breaker)), breaker);
        }

        // incidents and custody: none undelivered; S3Proxy has no Object Lock, so held objects wait for their hold
        assertEquals(0, scrape.sum("exporter_incident_outbox_size"), "nothing FAILED, nothing owed to ServiceNow");
        assertTrue(scrape.sum("exporter_legal_hold_objects_awaiting_hold") > 0,
                "legal-hold objects on a bucket without Object Lock are reported");
        assertEquals(0, scrape.sum("exporter_legal_hold_sidecars_awaiting_hold"), "every held sidecar says so");
        assertTrue(scrape.sum("exporter_audit_undigested_entries") > 0, "entries since the last digest");
        assertTrue(scrape.sum("exporter_audit_digest_age_seconds") > 0);
        assertEquals(3600, scrape.sum("exporter_audit_digest_interval_seconds"));
        assertEquals(0, scrape.sum("exporter_audit_sink_lag_seconds"), "no external sink in the sandbox");
    }
}
