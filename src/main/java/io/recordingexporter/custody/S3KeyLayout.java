package io.recordingexporter.custody;

import io.recordingexporter.domain.RecordingItem;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Pattern;

/**
 * Where a recording lives in the bucket. The default layout:
 * {@code {prefix}/year=YYYY/month=MM/day=DD/conversation_id={conversationId}/{recordingId}.{ext}} and
 * {@code …/{recordingId}_metadata.json}. The {@code genesys-bulk} layout is where Genesys's native AWS S3 bulk export
 * writes ("Working with exported recordings in AWS S3 bucket", Genesys Cloud Resource Center):
 * {@code {prefix}/{organizationId}/year=YYYY/month=MM/day=DD/hour=HH/conversation_id={conversationId}/{recordingId}.{ext}}
 * and {@code …/{recordingId}_metadata.json}, so rescued recordings sit beside the job's own. Either way the date is
 * the conversation's start in UTC. Ids must be UUIDs and the extension plain letters and digits, so nothing that came
 * over the wire can steer a key elsewhere.
 */
public final class S3KeyLayout {

    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final Pattern EXTENSION = Pattern.compile("^[a-z0-9]{1,8}$");
    private static final Pattern PREFIX_SEGMENT = Pattern.compile("^[A-Za-z0-9._=-]+$");

    private final String prefix;
    /** null: the default layout; else the organization id the genesys-bulk layout begins with */
    private final String organizationId;

    public S3KeyLayout(String prefix) {
        this(prefix, null);
    }

    /** @param organizationId null for the default layout, the org's id for Genesys's bulk-export layout */
    public S3KeyLayout(String prefix, String organizationId) {
        if (organizationId != null) {
            requireUuid("organizationId", organizationId);
        }
        this.organizationId = organizationId;
        String trimmed = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        for (String segment : trimmed.isEmpty() ? new String[0] : trimmed.split("/")) {
            if (!PREFIX_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("EXPORTER_S3_PREFIX segment '" + segment + "' is not allowed");
            }
        }
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
    }

    public String mediaKey(RecordingItem item, String extension) {
        if (!EXTENSION.matcher(extension).matches()) {
            throw new IllegalArgumentException("file extension '" + extension + "' is not allowed in a key");
        }
        return folderOf(item) + item.recordingId() + "." + extension;
    }

    public String sidecarKey(RecordingItem item) {
        return folderOf(item) + sidecarName(item.recordingId());
    }

    /** The sidecar's key, from the key of the media object it sits beside. */
    public static String sidecarKeyBeside(String mediaKey, String recordingId) {
        return mediaKey.substring(0, mediaKey.lastIndexOf('/') + 1) + sidecarName(recordingId);
    }

    private static String sidecarName(String recordingId) {
        return recordingId + "_metadata.json";
    }

    private String folderOf(RecordingItem item) {
        requireUuid("conversationId", item.conversationId());
        requireUuid("recordingId", item.recordingId());
        ZonedDateTime start = item.conversationStart().atZone(ZoneOffset.UTC);
        if (organizationId != null) {
            return String.format("%s%s/year=%04d/month=%02d/day=%02d/hour=%02d/conversation_id=%s/", prefix,
                    organizationId, start.getYear(), start.getMonthValue(), start.getDayOfMonth(), start.getHour(),
                    item.conversationId());
        }
        return String.format("%syear=%04d/month=%02d/day=%02d/conversation_id=%s/", prefix, start.getYear(),
                start.getMonthValue(), start.getDayOfMonth(), item.conversationId());
    }

    private static void requireUuid(String name, String value) {
        if (value == null || !UUID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " '" + value + "' is not a lower-case UUID");
        }
    }
}
