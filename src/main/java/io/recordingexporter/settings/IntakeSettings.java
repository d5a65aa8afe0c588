package io.recordingexporter.settings;

/** What the webhook accepts ({@code exporter.webhook.*}). */
public record IntakeSettings(String webhookToken, int maxBodyBytes, int maxBatch) {

    static IntakeSettings read(SettingsReader settings) {
        return new IntakeSettings(settings.optional("exporter.webhook.token"),
                settings.number("exporter.webhook.max-body-bytes"), settings.number("exporter.webhook.max-batch"));
    }

    @Override
    public String toString() {
        return "IntakeSettings[maxBodyBytes=" + maxBodyBytes + ", maxBatch=" + maxBatch + "]";
    }
}
