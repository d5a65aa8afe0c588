package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The bucket and how objects are written, and the local spool ({@code exporter.s3.*}, {@code exporter.spool*}). */
public record StorageSettings(String bucket, String prefix, String endpoint, String region, String objectLock,
        String kmsKeyId, boolean bucketKey, long multipartThresholdBytes, long partSizeBytes, int breakerFailures,
        Duration breakerOpen, String spoolDir, long spoolMinFreeBytes, String keyLayout, String organizationId) {

    /** The key layouts: ours (the default), and where Genesys's native AWS S3 bulk export writes. */
    public static final java.util.List<String> KEY_LAYOUTS = java.util.List.of("default", "genesys-bulk");

    static StorageSettings read(SettingsReader settings) {
        String keyLayout = settings.text("exporter.s3.key-layout");
        String organizationId = settings.optional("genesys.organization-id");
        if (!KEY_LAYOUTS.contains(keyLayout)) {
            settings.problem("exporter.s3.key-layout (EXPORTER_S3_KEY_LAYOUT) must be one of " + KEY_LAYOUTS + ", not '"
                    + keyLayout + "'");
        } else if (keyLayout.equals("genesys-bulk") && (organizationId == null
                || !organizationId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))) {
            settings.problem("EXPORTER_S3_KEY_LAYOUT=genesys-bulk needs GENESYS_ORGANIZATION_ID, the org's id (a"
                    + " lower-case UUID: Admin > Organization Settings), which leads every key of that layout");
        }
        return new StorageSettings(settings.text("exporter.s3.bucket"), settings.optional("exporter.s3.prefix"),
                settings.optional("exporter.s3.endpoint"), settings.text("exporter.s3.region"),
                settings.text("exporter.s3.object-lock"), settings.optional("exporter.s3.kms-key-id"),
                settings.flag("exporter.s3.bucket-key"), settings.mebibytes("exporter.s3.multipart.threshold-mib"),
                settings.mebibytes("exporter.s3.multipart.part-size-mib"), settings.number("exporter.s3.breaker.failures"),
                settings.duration("exporter.s3.breaker.open-seconds", ChronoUnit.SECONDS),
                settings.text("exporter.spool-dir"), settings.mebibytes("exporter.spool.min-free-mib"), keyLayout,
                organizationId);
    }
}
