package io.recordingexporter.wiring;

import io.recordingexporter.domain.LegalHoldAttribute;
import io.recordingexporter.genesys.BatchDownloads;
import io.recordingexporter.genesys.GenesysCallOutcomes;
import io.recordingexporter.genesys.GenesysHosts;
import io.recordingexporter.genesys.GenesysJobWait;
import io.recordingexporter.genesys.GenesysRateBudget;
import io.recordingexporter.genesys.GenesysRecordings;
import io.recordingexporter.genesys.GenesysTokenSource;
import io.recordingexporter.genesys.LegalHoldRegistry;
import io.recordingexporter.ledger.SharedPermitBucket;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.settings.GenesysSettings;
import java.time.Clock;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Genesys through the SDK: the client with its token, its shared rate budget and its circuit breaker; batch downloads
 * and their job polling; where legal holds are read.
 */
public record GenesysWiring(GenesysHosts hosts, GenesysTokenSource tokens, GenesysRateBudget rateBudget,
        CircuitBreaker breaker, GenesysRecordings genesys, GenesysJobWait jobWait, BatchDownloads batchDownloads,
        LegalHoldAttribute holdAttribute, LegalHoldRegistry legalHolds) {

    private static final Logger LOG = LoggerFactory.getLogger(GenesysWiring.class);

    /**
     * The Genesys side; its rate budget spends from {@code ledger}'s shared bucket when the ledger is PostgreSQL (every
     * replica on it then shares one budget), else from a bucket in this process (an H2 ledger has one process).
     */
    /**
     * The Genesys API alone, on a rate budget of this process, for a command that only reads from Genesys and must
     * not open the ledger (which a running service may hold): {@code rescue-bulk-job --dry-run}.
     */
    public static GenesysRecordings readOnly(GenesysSettings settings, Clock clock) {
        GenesysHosts hosts = GenesysHosts.of(settings.region(), settings.apiBaseUrl(), settings.loginBaseUrl());
        GenesysTokenSource tokens = tokens(settings, hosts, clock);
        GenesysRateBudget rateBudget = new GenesysRateBudget(settings.requestsPerMinute(), settings.burst(),
                settings.maxPause(), clock);
        CircuitBreaker breaker = breaker(settings, clock);
        return new GenesysRecordings(hosts.apiBaseUrl(), tokens, rateBudget, breaker,
                (int) settings.apiTimeout().toMillis(), settings.audioFormat(), clock, GenesysCallOutcomes.NONE);
    }

    public static GenesysWiring connect(GenesysSettings settings, LedgerWiring ledger, GenesysCallOutcomes outcomes,
            Clock clock, Registry registry) {
        GenesysHosts hosts = GenesysHosts.of(settings.region(), settings.apiBaseUrl(), settings.loginBaseUrl());
        GenesysTokenSource tokens = tokens(settings, hosts, clock);
        GenesysRateBudget rateBudget = ledger.shared()
                ? new GenesysRateBudget(settings.requestsPerMinute(), settings.burst(), settings.maxPause(), clock,
                        new SharedPermitBucket(ledger.ledger().store(), "genesys",
                                GenesysRateBudget.permitsPerMilli(settings.requestsPerMinute()), settings.burst()))
                : new GenesysRateBudget(settings.requestsPerMinute(), settings.burst(), settings.maxPause(), clock);
        CircuitBreaker breaker = breaker(settings, clock);
        GenesysRecordings genesys = new GenesysRecordings(hosts.apiBaseUrl(), tokens, rateBudget, breaker,
                (int) settings.apiTimeout().toMillis(), settings.audioFormat(), clock, outcomes);
        LOG.info("Genesys API {} (login {})", hosts.apiBaseUrl(), hosts.loginBaseUrl());
        GenesysSettings.BatchDownload batch = settings.batchDownload();
        GenesysJobWait jobWait = new GenesysJobWait(batch.firstPoll(), batch.maxPoll(), batch.deadline(), clock);
        BatchDownloads batchDownloads = new BatchDownloads(genesys, jobWait, batch.linkLifetime(),
                batch.linkReuseMargin(), clock);
        LegalHoldAttribute holdAttribute = new LegalHoldAttribute(settings.legalHold().attribute());
        if (!holdAttribute.enabled()) {
            LOG.warn("GENESYS_LEGAL_HOLD_ATTRIBUTE is empty: no participant attribute puts a conversation under legal hold;"
                    + " only deletion protection and the webhook's legalHold flag do. Set it (default legalHold) unless"
                    + " your flows never mark holds that way.");
        }
        LegalHoldRegistry legalHolds = new LegalHoldRegistry(genesys, holdAttribute, settings.legalHold().refresh(),
                clock);
        registry.bind("legalHoldRegistry", legalHolds);
        registry.bind("genesysBreaker", breaker);
        registry.bind("genesysRateBudget", rateBudget);
        return new GenesysWiring(hosts, tokens, rateBudget, breaker, genesys, jobWait, batchDownloads, holdAttribute,
                legalHolds);
    }

    private static GenesysTokenSource tokens(GenesysSettings settings, GenesysHosts hosts, Clock clock) {
        return new GenesysTokenSource(hosts.loginBaseUrl(), settings.clientId(), settings.clientSecret(),
                settings.tokenRenewBefore(), settings.apiTimeout(), clock);
    }

    private static CircuitBreaker breaker(GenesysSettings settings, Clock clock) {
        return new CircuitBreaker("genesys", settings.breakerFailures(), settings.breakerOpen(), clock);
    }
}
