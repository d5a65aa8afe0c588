package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The bucket and how objects are written, and the local spool ({@code exporter.s3.*}, {@code exporter.spool*}). */
public record StorageSettings(String bucket, String prefix, String endpoint, String region, String objectLock,
        String kmsKeyId, boolean bucketKey, long multipartThresholdBytes, long partSizeBytes, int breakerFailures,
        Duration breakerOpen, String spoolDir, long spoolMinFreeBytes) {

    static StorageSettings read(SettingsReader settings) {
        return new StorageSettings(settings.text("exporter.s3.bucket"), settings.optional("exporter.s3.prefix"),
                settings.optional("exporter.s3.endpoint"), settings.text("exporter.s3.region"),
                settings.text("exporter.s3.object-lock"), settings.optional("exporter.s3.kms-key-id"),
                settings.flag("exporter.s3.bucket-key"), settings.mebibytes("exporter.s3.multipart.threshold-mib"),
                settings.mebibytes("exporter.s3.multipart.part-size-mib"), settings.number("exporter.s3.breaker.failures"),
                settings.duration("exporter.s3.breaker.open-seconds", ChronoUnit.SECONDS),
                settings.text("exporter.spool-dir"), settings.mebibytes("exporter.spool.min-free-mib"));
    }
}
