package io.recordingexporter.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * What the ledger made of one intake batch: the conversations newly accepted and the ones it already had, where the
 * batch came from (webhook, poll, backfill), and the known conversations whose legal hold this intake raised.
 */
public record IntakeReceipt(List<String> acceptedIds, List<String> duplicateIds, String intakeSource,
        List<String> heldLaterIds) {

    public IntakeReceipt(List<String> acceptedIds, List<String> duplicateIds, String intakeSource) {
        this(acceptedIds, duplicateIds, intakeSource, List.of());
    }

    public static IntakeReceipt empty(String intakeSource) {
        return new IntakeReceipt(List.of(), List.of(), intakeSource);
    }

    public int accepted() {
        return acceptedIds.size();
    }

    public int duplicates() {
        return duplicateIds.size();
    }

    /** Receipts of several windows or chunks of one source, as one. */
    public IntakeReceipt plus(IntakeReceipt other) {
        return new IntakeReceipt(joined(acceptedIds, other.acceptedIds()), joined(duplicateIds, other.duplicateIds()),
                intakeSource, joined(heldLaterIds, other.heldLaterIds()));
    }

    private static List<String> joined(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
