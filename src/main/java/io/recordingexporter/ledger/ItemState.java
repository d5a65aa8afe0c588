package io.recordingexporter.ledger;

/** Life cycle of a recording (and of a conversation's expansion) in the ledger. */
public enum ItemState {
    PENDING,
    IN_PROGRESS,
    STORED,
    DEFERRED,
    FAILED,
    /** conversations only: its recordings are in the ledger */
    EXPANDED
}
