package io.recordingexporter.domain;

import java.time.Instant;

/**
 * What a Genesys batch download said about one recording: a pre-signed link to its media (usable until
 * {@code reuseUntil}, a margin before it expires) with the media's content type, or why it could not serve it.
 */
public record MediaLink(String url, Instant reuseUntil, String contentType, String unavailable) {

    public static MediaLink served(String url, Instant reuseUntil, String contentType) {
        return new MediaLink(url, reuseUntil, contentType, null);
    }

    public static MediaLink notServed(String contentType, String reason) {
        return new MediaLink(null, null, contentType, reason);
    }

    public boolean usableAt(Instant now) {
        return url != null && reuseUntil != null && now.isBefore(reuseUntil);
    }
}
