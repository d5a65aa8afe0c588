package io.recordingexporter.custody;

import java.io.IOException;

/** The bytes about to be stored are not the bytes fetched from Genesys: never stored, fetched again. */
public class ChecksumMismatchException extends IOException {

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
