package io.recordingexporter.intake;

import java.util.List;

/** What the ledger made of one intake batch: the conversations newly accepted and the ones it already had. */
public record IntakeReceipt(List<String> acceptedIds, List<String> duplicateIds) {

    public int accepted() {
        return acceptedIds.size();
    }

    public int duplicates() {
        return duplicateIds.size();
    }
}
