package io.recordingexporter.domain;

import java.util.Locale;
import java.util.Map;

/**
 * The file extension of a recording's S3 object: from the Content-Type Genesys served, else from the recording's media.
 */
public final class MediaFileTypes {

    private static final Map<String, String> BY_CONTENT_TYPE = Map.ofEntries(
            Map.entry("audio/wav", "wav"),
            Map.entry("audio/x-wav", "wav"),
            Map.entry("audio/wave", "wav"),
            Map.entry("audio/ogg", "ogg"),
            Map.entry("audio/opus", "opus"),
            Map.entry("audio/webm", "webm"),
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("video/webm", "webm"),
            Map.entry("video/mp4", "mp4"),
            Map.entry("application/json", "json"),
            Map.entry("message/rfc822", "eml"),
            Map.entry("application/zip", "zip"),
            Map.entry("text/plain", "txt"));

    private static final Map<String, String> BY_MEDIA = Map.of(
            "audio", "wav", "screen", "webm", "chat", "json", "message", "json", "email", "eml");

    private MediaFileTypes() {}

    public static String extensionFor(String contentType, String media) {
        if (contentType != null) {
            String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            String extension = BY_CONTENT_TYPE.get(bare);
            if (extension != null) {
                return extension;
            }
        }
        return BY_MEDIA.getOrDefault(media, "bin");
    }
}
