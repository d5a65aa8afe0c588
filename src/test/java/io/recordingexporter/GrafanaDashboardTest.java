package io.recordingexporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard {@code config/grafana/recording-exporter.json} and the exporter's metrics agree: it has a row
 * repeated per lane and the "Genesys budget", "Custody" and "Incidents" rows, its panel ids are unique and its panels
 * do not overlap within a row, every query reads only metrics the exporter publishes, and every published metric
 * (but the ledger snapshot's age) is shown somewhere. The names are those {@code MetricsAfterSandboxRun} finds on a
 * real scrape after a sandbox run, so a metric renamed in the service fails that test, and this one until the dashboard
 * follows.
 */
class GrafanaDashboardTest {

    /** Prometheus names of what the exporter publishes (histograms by their base name). */
    static final Set<String> PUBLISHED_METRICS = Set.of(
            "exporter_recordings_total",
            "exporter_stored_bytes_total",
            "exporter_conversation_end_to_stored_seconds",
            "exporter_retries_total",
            "genesys_api_requests_total",
            "genesys_api_calls_total",
            "genesys_rate_budget_available",
            "genesys_rate_budget_pauses_total",
            "genesys_rate_budget_pauses_capped_total",
            "exporter_circuit_breaker_state",
            "exporter_circuit_breaker_opened_total",
            "exporter_ledger_recordings",
            "exporter_backlog_oldest_age_seconds",
            "exporter_backlog_locked_recordings",
            "exporter_backlog_archived_recordings",
            "exporter_restores_requested_total",
            "exporter_restore_allowance_exhausted",
            "exporter_lane_goal_seconds",
            "exporter_ledger_conversations",
            "exporter_conversations_oldest_waiting_age_seconds",
            "exporter_incident_outbox_size",
            "exporter_legal_hold_objects_awaiting_hold",
            "exporter_legal_hold_sidecars_awaiting_hold",
            "exporter_audit_undigested_entries",
            "exporter_audit_digest_age_seconds",
            "exporter_audit_digest_interval_seconds",
            "exporter_audit_sink_lag_seconds",
            "exporter_ledger_up",
            "exporter_ledger_snapshot_age_seconds");

    /** Published but deliberately not on the dashboard: it tells whether the ledger gauges are fresh. */
    private static final Set<String> NOT_SHOWN = Set.of("exporter_ledger_snapshot_age_seconds");

    private static final Path DASHBOARD = Path.of("config", "grafana", "recording-exporter.json");
    private static final Pattern METRIC = Pattern.compile("\\b(?:exporter|genesys)_[a-z0-9_]+");
    private static final Pattern HISTOGRAM_SERIES = Pattern.compile("_(?:bucket|count|sum)$");

    private static JsonNode dashboard;
    /** Row title to the panels in that row (a collapsed row's nested panels, or those after an expanded row). */
    private static Map<String, List<JsonNode>> panelsByRow;

    @BeforeAll
    static void readDashboard() throws IOException {
        dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        panelsByRow = new LinkedHashMap<>();
        String currentRow = "(no row)";
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) {
                currentRow = panel.path("title").asText();
                panelsByRow.putIfAbsent(currentRow, new ArrayList<>());
                for (JsonNode nested : panel.path("panels")) {
                    panelsByRow.get(currentRow).add(nested);
                }
            } else {
                panelsByRow.computeIfAbsent(currentRow, row -> new ArrayList<>()).add(panel);
            }
        }
    }

    private static List<JsonNode> rows() {
        List<JsonNode> rows = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            if ("row".equals(panel.path("type").asText())) {
                rows.add(panel);
            }
        });
        return rows;
    }

    /** Every panel and row, nested ones included. */
    private static List<JsonNode> allPanels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : allPanels()) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.get("expr").asText());
                }
            }
        }
        return expressions;
    }

    private static Set<String> metricsIn(String expression) {
        Set<String> metrics = new TreeSet<>();
        Matcher metric = METRIC.matcher(expression);
        while (metric.find()) {
            metrics.add(HISTOGRAM_SERIES.matcher(metric.group()).replaceFirst(""));
        }
        return metrics;
    }

    @Test
    void theDashboardIsTheRecordingExportersOnGrafana10Schema() {
        assertEquals("recording-exporter", dashboard.path("uid").asText());
        assertEquals("Recording Exporter", dashboard.path("title").asText());
        assertEquals(39, dashboard.path("schemaVersion").asInt());
    }

    @Test
    void theGenesysBudgetCustodyAndIncidentsRowsExistAndOneRowRepeatsPerLane() {
        Set<String> titles = new TreeSet<>();
        rows().forEach(row -> titles.add(row.path("title").asText()));
        for (String expected : List.of("Genesys budget", "Custody", "Incidents")) {
            assertTrue(titles.contains(expected), "row \"" + expected + "\" among " + titles);
            assertTrue(!panelsByRow.get(expected).isEmpty(), "row \"" + expected + "\" has panels");
        }
        List<JsonNode> perLane = rows().stream().filter(row -> "lane".equals(row.path("repeat").asText())).toList();
        assertEquals(1, perLane.size(), "one row repeated on the lane variable");
        assertTrue(!panelsByRow.get(perLane.get(0).path("title").asText()).isEmpty(), "the lane row has panels");
    }

    @Test
    void theLaneRowRepeatsOverAMultiValueLaneVariable() {
        JsonNode lane = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("lane".equals(variable.path("name").asText())) {
                lane = variable;
            }
        }
        assertTrue(lane != null, "a lane template variable");
        assertTrue(lane.path("multi").asBoolean(), "several lanes can be selected, one row each");
    }

    @Test
    void everyPanelIdIsUnique() {
        Set<Integer> seen = new TreeSet<>();
        Set<Integer> duplicated = new TreeSet<>();
        for (JsonNode panel : allPanels()) {
            assertTrue(panel.path("id").isInt(), "panel \"" + panel.path("title").asText() + "\" has an id");
            if (!seen.add(panel.path("id").asInt())) {
                duplicated.add(panel.path("id").asInt());
            }
        }
        assertEquals(Set.of(), duplicated, "panel ids used more than once");
    }

    @Test
    void panelsDoNotOverlapWithinARow() {
        List<String> overlaps = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> row : panelsByRow.entrySet()) {
            List<JsonNode> panels = row.getValue();
            for (int i = 0; i < panels.size(); i++) {
                for (int j = i + 1; j < panels.size(); j++) {
                    JsonNode a = panels.get(i).path("gridPos");
                    JsonNode b = panels.get(j).path("gridPos");
                    boolean apartHorizontally = a.path("x").asInt() + a.path("w").asInt() <= b.path("x").asInt()
                            || b.path("x").asInt() + b.path("w").asInt() <= a.path("x").asInt();
                    boolean apartVertically = a.path("y").asInt() + a.path("h").asInt() <= b.path("y").asInt()
                            || b.path("y").asInt() + b.path("h").asInt() <= a.path("y").asInt();
                    if (!apartHorizontally && !apartVertically) {
                        overlaps.add(row.getKey() + ": \"" + panels.get(i).path("title").asText() + "\" and \""
                                + panels.get(j).path("title").asText() + "\"");
                    }
                }
            }
        }
        assertEquals(List.of(), overlaps, "panels overlapping within a row");
    }

    @Test
    void everyQueryReadsOnlyMetricsTheExporterPublishes() {
        List<String> expressions = expressions();
        assertTrue(expressions.size() > 20, "the dashboard's queries were read: " + expressions.size());
        Set<String> unknown = new TreeSet<>();
        for (String expression : expressions) {
            for (String metric : metricsIn(expression)) {
                if (!PUBLISHED_METRICS.contains(metric)) {
                    unknown.add(metric + " in " + expression);
                }
            }
        }
        assertEquals(Set.of(), unknown, "queried metrics the exporter does not publish");
    }

    @Test
    void everyPublishedMetricButTheSnapshotAgeIsShown() {
        Set<String> shown = new TreeSet<>();
        expressions().forEach(expression -> shown.addAll(metricsIn(expression)));
        Set<String> missing = new TreeSet<>(PUBLISHED_METRICS);
        missing.removeAll(NOT_SHOWN);
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, "published metrics no panel shows");
    }
}
