package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The Genesys org, its client, its rate budget and how batch downloads and legal holds are read ({@code genesys.*}). */
public record GenesysSettings(String region, String apiBaseUrl, String loginBaseUrl, String clientId,
        String clientSecret, Duration apiTimeout, Duration tokenRenewBefore, int requestsPerMinute, int burst,
        int reservedForDiscovery, Duration maxPause, int breakerFailures, Duration breakerOpen, String mediaHosts,
        String audioFormat, BatchDownload batchDownload, LegalHold legalHold, Restore restore) {

    /** Batch download jobs: how they are polled, how long they may take, how long their links live. */
    public record BatchDownload(Duration firstPoll, Duration maxPoll, Duration deadline, Duration linkLifetime,
            Duration linkReuseMargin) {}

    /** Where legal holds come from besides deletion protection, and how often they are read again. */
    public record LegalHold(String attribute, Duration refresh, Duration recheckWindow) {}

    /**
     * Restores of archived recordings: the share of the org's restoration allowance the exporter may spend, and how
     * long Genesys keeps a recording restored (its {@code restoreExpirationTime} from the request).
     */
    public record Restore(double maxShare, Duration keepRestored) {}

    static GenesysSettings read(SettingsReader settings) {
        BatchDownload batch = new BatchDownload(
                settings.duration("genesys.batch-download.first-poll-ms", ChronoUnit.MILLIS),
                settings.duration("genesys.batch-download.max-poll-ms", ChronoUnit.MILLIS),
                settings.duration("genesys.batch-download.deadline-seconds", ChronoUnit.SECONDS),
                settings.duration("genesys.batch-download.link-lifetime-seconds", ChronoUnit.SECONDS),
                settings.duration("genesys.batch-download.link-reuse-margin-seconds", ChronoUnit.SECONDS));
        LegalHold legalHold = new LegalHold(settings.optional("genesys.legal-hold.attribute"),
                settings.duration("genesys.legal-hold.refresh-seconds", ChronoUnit.SECONDS),
                settings.duration("genesys.legal-hold.recheck-days", ChronoUnit.DAYS));
        return new GenesysSettings(settings.text("genesys.region"), settings.credentialUrl("genesys.api-base-url"),
                settings.credentialUrl("genesys.login-base-url"), settings.optional("genesys.client-id"),
                settings.optional("genesys.client-secret"),
                settings.duration("genesys.api-timeout-ms", ChronoUnit.MILLIS),
                settings.duration("genesys.token-renew-before-seconds", ChronoUnit.SECONDS),
                settings.number("genesys.rate-budget.requests-per-minute"),
                settings.number("genesys.rate-budget.burst"),
                settings.number("genesys.rate-budget.reserved-for-discovery"),
                settings.duration("genesys.max-pause-seconds", ChronoUnit.SECONDS),
                settings.number("genesys.breaker.failures"),
                settings.duration("genesys.breaker.open-seconds", ChronoUnit.SECONDS),
                settings.optional("genesys.media-hosts"), settings.text("genesys.audio-format"), batch, legalHold,
                new Restore(settings.share("genesys.restore.max-share"),
                        settings.duration("genesys.restore.keep-hours", ChronoUnit.HOURS)));
    }

    @Override
    public String toString() {
        return "GenesysSettings[region=" + region + ", apiBaseUrl=" + apiBaseUrl + ", clientId=" + clientId + "]";
    }
}
