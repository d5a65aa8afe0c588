package io.recordingexporter.genesys;

/** Genesys has the recording but cannot serve its media yet (transcoding, uploading, restoring): ask again later. */
public class MediaNotReadyException extends RuntimeException {
    public MediaNotReadyException(String message) {
        super(message);
    }
}
