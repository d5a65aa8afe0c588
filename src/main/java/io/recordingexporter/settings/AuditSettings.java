package io.recordingexporter.settings;

/** The audit trail's folder, how often its digest goes to S3, and its optional external sink ({@code exporter.audit.*}). */
public record AuditSettings(String dir, String httpUrl, String httpToken, int httpBatchSize,
        java.time.Duration digestInterval) {

    static AuditSettings read(SettingsReader settings) {
        return new AuditSettings(settings.text("exporter.audit.dir"), settings.credentialUrl("exporter.audit.http.url"),
                settings.optional("exporter.audit.http.token"), settings.number("exporter.audit.http.batch-size"),
                settings.duration("exporter.audit.digest-interval-seconds", java.time.temporal.ChronoUnit.SECONDS));
    }

    @Override
    public String toString() {
        return "AuditSettings[dir=" + dir + ", httpUrl=" + httpUrl + "]";
    }
}
