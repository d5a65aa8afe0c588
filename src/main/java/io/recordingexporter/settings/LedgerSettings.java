package io.recordingexporter.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** The ledger's database and this node's leases ({@code exporter.db.*}, {@code exporter.node-id}, leases). */
public record LedgerSettings(String url, String user, String password, int poolSize, String nodeId,
        int leaseSeconds, Duration leaseRenewInterval) {

    static LedgerSettings read(SettingsReader settings) {
        int leaseSeconds = settings.number("exporter.ledger.lease-seconds");
        Duration renew = settings.duration("exporter.ledger.lease-renew-interval-ms", ChronoUnit.MILLIS);
        if (renew.isNegative() || renew.isZero() || renew.multipliedBy(3).compareTo(Duration.ofSeconds(leaseSeconds)) > 0) {
            settings.problem("EXPORTER_LEASE_RENEW_INTERVAL_MS (" + renew.toMillis() + ") must be positive and at most"
                    + " a third of EXPORTER_LEASE_SECONDS (" + leaseSeconds + " s), so a lease is renewed well before"
                    + " it runs out");
        }
        return new LedgerSettings(settings.text("exporter.db.url"), settings.text("exporter.db.user"),
                settings.optional("exporter.db.password"), settings.number("exporter.db.pool-size"),
                settings.optional("exporter.node-id"), leaseSeconds, renew);
    }

    /** The URL as logs may show it: a password given in it (PostgreSQL's {@code password=}) masked. */
    public String urlForLogs() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "LedgerSettings[url=" + urlForLogs() + ", user=" + user + ", poolSize=" + poolSize + ", nodeId=" + nodeId + "]";
    }
}
