package io.recordingexporter.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * What the ledger made of one intake batch: the conversations newly accepted and the ones it already had, and where
 * the batch came from (webhook, poll, backfill).
 */
public record IntakeReceipt(List<String> acceptedIds, List<String> duplicateIds, String intakeSource) {

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
        List<String> accepted = new ArrayList<>(acceptedIds);
        accepted.addAll(other.acceptedIds());
        List<String> duplicates = new ArrayList<>(duplicateIds);
        duplicates.addAll(other.duplicateIds());
        return new IntakeReceipt(List.copyOf(accepted), List.copyOf(duplicates), intakeSource);
    }
}
