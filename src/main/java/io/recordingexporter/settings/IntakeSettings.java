package io.recordingexporter.settings;

/**
 * What the webhook accepts ({@code exporter.webhook.*}), and the token of the read endpoints
 * ({@code exporter.read.token}).
 */
public record IntakeSettings(String webhookToken, int maxBodyBytes, int maxBatch, String readToken) {

    static IntakeSettings read(SettingsReader settings) {
        return new IntakeSettings(settings.optional("exporter.webhook.token"),
                settings.number("exporter.webhook.max-body-bytes"), settings.number("exporter.webhook.max-batch"),
                settings.optional("exporter.read.token"));
    }

    @Override
    public String toString() {
        return "IntakeSettings[maxBodyBytes=" + maxBodyBytes + ", maxBatch=" + maxBatch + "]";
    }
}
