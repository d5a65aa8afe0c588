package io.recordingexporter.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small shared pieces of the benchmark: the simulated client, rounding, percentiles, folders. */
final class Bench {

    static final String CLIENT_ID = "bench-client";
    static final String CLIENT_SECRET = "bench-secret";

    private Bench() {}

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** p50, p95, p99 and max of {@code millis} (nearest rank), in seconds. */
    static Map<String, Object> distribution(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("count", sorted.size());
        if (sorted.isEmpty()) {
            return figures;
        }
        figures.put("p50Seconds", round(rank(sorted, 0.50) / 1000.0));
        figures.put("p95Seconds", round(rank(sorted, 0.95) / 1000.0));
        figures.put("p99Seconds", round(rank(sorted, 0.99) / 1000.0));
        figures.put("maxSeconds", round(sorted.get(sorted.size() - 1) / 1000.0));
        return figures;
    }

    private static long rank(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
