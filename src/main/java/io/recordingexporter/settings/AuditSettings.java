package io.recordingexporter.settings;

/** The audit trail's folder and its optional external sink ({@code exporter.audit.*}). */
public record AuditSettings(String dir, String httpUrl, String httpToken, int httpBatchSize) {

    static AuditSettings read(SettingsReader settings) {
        return new AuditSettings(settings.text("exporter.audit.dir"), settings.credentialUrl("exporter.audit.http.url"),
                settings.optional("exporter.audit.http.token"), settings.number("exporter.audit.http.batch-size"));
    }

    @Override
    public String toString() {
        return "AuditSettings[dir=" + dir + ", httpUrl=" + httpUrl + "]";
    }
}
