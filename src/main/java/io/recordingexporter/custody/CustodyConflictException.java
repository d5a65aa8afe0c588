package io.recordingexporter.custody;

/**
 * The key already holds different bytes than the ones fetched. The exporter never writes a second version over
 * them: a person has to look.
 */
public class CustodyConflictException extends RuntimeException {
    public CustodyConflictException(String message) {
        super(message);
    }
}
