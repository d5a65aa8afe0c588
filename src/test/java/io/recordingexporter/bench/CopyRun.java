package io.recordingexporter.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one way of exporting a dataset achieved: recordings and bytes stored, in how long, with how many API calls. */
record CopyRun(String name, int recordings, long bytes, double seconds, long apiCalls, long http429, int failed) {

    double recordingsPerSecond() {
        return recordings / seconds;
    }

    double megabytesPerSecond() {
        return bytes / 1_000_000.0 / seconds;
    }

    double apiCallsPerRecording() {
        return recordings == 0 ? 0 : (double) apiCalls / recordings;
    }

    Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("recordings", recordings);
        figures.put("bytes", bytes);
        figures.put("seconds", Bench.round(seconds));
        figures.put("recordingsPerSecond", Bench.round(recordingsPerSecond()));
        figures.put("megabytesPerSecond", Bench.round(megabytesPerSecond()));
        figures.put("apiCalls", apiCalls);
        figures.put("apiCallsPerRecording", Bench.round(apiCallsPerRecording()));
        figures.put("http429", http429);
        figures.put("failed", failed);
        return figures;
    }
}
