package io.recordingexporter.sandbox;

import java.util.Map;

/**
 * A snapshot of the ledger: conversations by state, per lane and state the number of recordings and their bytes, and
 * the conversations still waiting for a recording their sessions promise (listed again until it comes or they settle).
 * Recordings waiting for another attempt are the DEFERRED ones.
 */
public record LedgerCounts(Map<String, Long> conversationsByState, Map<String, Map<String, long[]>> lanes,
        long conversationsAwaitingMedia) {

    public long conversations(String state) {
        return conversationsByState.getOrDefault(state, 0L);
    }

    public long conversations() {
        return conversationsByState.values().stream().mapToLong(Long::longValue).sum();
    }

    public long recordings(String lane, String state) {
        return cell(lane, state, 0);
    }

    public long bytes(String lane, String state) {
        return cell(lane, state, 1);
    }

    public long recordings(String state) {
        return lanes.keySet().stream().mapToLong(lane -> recordings(lane, state)).sum();
    }

    public long recordings() {
        return lanes.values().stream().flatMap(states -> states.values().stream()).mapToLong(cell -> cell[0]).sum();
    }

    public long foundIn(String lane) {
        return lanes.getOrDefault(lane, Map.of()).values().stream().mapToLong(cell -> cell[0]).sum();
    }

    private long cell(String lane, String state, int index) {
        long[] cell = lanes.getOrDefault(lane, Map.of()).get(state);
        return cell == null ? 0 : cell[index];
    }
}
