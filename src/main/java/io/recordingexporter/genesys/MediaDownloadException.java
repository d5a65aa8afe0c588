package io.recordingexporter.genesys;

import java.io.IOException;

/** The media link answered with an HTTP error (expired link, server error). */
public class MediaDownloadException extends IOException {

    private final int statusCode;

    public MediaDownloadException(int statusCode, String message) {
        super(message);
        this.statusCode = statusCode;
    }

    public int getStatusCode() {
        return statusCode;
    }
}
