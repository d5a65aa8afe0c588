package io.recordingexporter.ledger;

/** The ledger could not be read or written; callers answer 503 or retry, never pretend the work was recorded. */
public class LedgerUnavailableException extends RuntimeException {
    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
