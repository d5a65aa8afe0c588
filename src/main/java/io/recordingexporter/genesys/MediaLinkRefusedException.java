package io.recordingexporter.genesys;

/** The media host refused a batch link (expired or revoked): the next attempt asks Genesys for a new one. */
public class MediaLinkRefusedException extends MediaDownloadException {

    public MediaLinkRefusedException(int statusCode, String message) {
        super(statusCode, message);
    }
}
