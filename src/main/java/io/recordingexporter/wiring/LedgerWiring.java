package io.recordingexporter.wiring;

import com.zaxxer.hikari.HikariDataSource;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.ledger.LedgerDatabase;
import io.recordingexporter.settings.LedgerSettings;
import java.time.Clock;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ledger on its database, each concern a bean of its own as the routes name them; this node's leases resumed. */
public record LedgerWiring(Ledger ledger, HikariDataSource dataSource, String nodeId, long leaseSeconds) {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerWiring.class);

    /** The ledger, its leases named {@code nodeId} (this process's {@link NodeIdentity}). */
    public static LedgerWiring open(LedgerSettings settings, String nodeId, Clock clock, Registry registry)
            throws Exception {
        HikariDataSource dataSource = LedgerDatabase.open(settings.url(), settings.user(), settings.password(),
                settings.poolSize());
        LOG.info("Ledger {}", settings.urlForLogs());
        Ledger ledger = Ledger.open(dataSource, nodeId, settings.leaseSeconds(), clock);
        int released = ledger.leases().releaseOwnLeases();
        if (released > 0) {
            LOG.info("Resuming {} items this node ({}) had in progress when it stopped", released, nodeId);
        }
        registry.bind("ledger", ledger);
        registry.bind("conversationIntake", ledger.intake());
        registry.bind("conversationQueue", ledger.conversations());
        registry.bind("recordingQueue", ledger.recordings());
        registry.bind("nodeLeases", ledger.leases());
        registry.bind("custodyRecords", ledger.custody());
        registry.bind("backfills", ledger.backfills());
        registry.bind("bulkRescues", ledger.rescues());
        registry.bind("custodyStatus", ledger.status());
        registry.bind("scheduledRuns", ledger.scheduledRuns());
        return new LedgerWiring(ledger, dataSource, nodeId, settings.leaseSeconds());
    }

    /** Whether other replicas may share this ledger: a PostgreSQL one (an H2 file belongs to one process). */
    public boolean shared() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }
}
