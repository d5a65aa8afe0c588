package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The ServiceNow instance incidents go to, and how undelivered ones are retried ({@code servicenow.*}). */
public record ServiceNowSettings(String instanceUrl, String username, String password, String clientId,
        String clientSecret, String assignmentGroup, Duration retryBaseDelay, Duration retryMaxDelay) {

    static ServiceNowSettings read(SettingsReader settings) {
        return new ServiceNowSettings(settings.credentialUrl("servicenow.instance-url"),
                settings.optional("servicenow.username"), settings.optional("servicenow.password"),
                settings.optional("servicenow.client-id"), settings.optional("servicenow.client-secret"),
                settings.optional("servicenow.assignment-group"),
                settings.duration("servicenow.retry.base-delay-ms", ChronoUnit.MILLIS),
                settings.duration("servicenow.retry.max-delay-ms", ChronoUnit.MILLIS));
    }

    @Override
    public String toString() {
        return "ServiceNowSettings[instanceUrl=" + instanceUrl + ", username=" + username + "]";
    }
}
