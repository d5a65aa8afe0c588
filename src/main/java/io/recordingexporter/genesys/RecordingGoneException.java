package io.recordingexporter.genesys;

/** Genesys reports the recording DELETED or in ERROR: it will never have media again. */
public class RecordingGoneException extends RuntimeException {

    public RecordingGoneException(String message) {
        super(message);
    }
}
