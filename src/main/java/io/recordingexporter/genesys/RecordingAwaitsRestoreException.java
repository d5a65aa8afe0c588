package io.recordingexporter.genesys;

/**
 * An archived recording that cannot be fetched yet: its restore was asked for and Genesys is RESTORING it, or the
 * restoration allowance left to the exporter is used up. It waits, with no deadline: it is not failing.
 */
public class RecordingAwaitsRestoreException extends RuntimeException {

    public RecordingAwaitsRestoreException(String message) {
        super(message);
    }
}
