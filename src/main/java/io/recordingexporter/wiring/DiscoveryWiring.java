package io.recordingexporter.wiring;

import io.recordingexporter.discovery.BackfillRequests;
import io.recordingexporter.discovery.BackfillRunner;
import io.recordingexporter.discovery.ConversationDiscovery;
import io.recordingexporter.discovery.ConversationPoll;
import io.recordingexporter.genesys.ConversationExpander;
import io.recordingexporter.genesys.LegalHoldRecheck;
import io.recordingexporter.genesys.RelistSchedule;
import io.recordingexporter.ledger.Ledger;
import io.recordingexporter.settings.DiscoverySettings;
import io.recordingexporter.settings.GenesysSettings;
import java.time.Clock;
import org.apache.camel.spi.Registry;

/** Finding work: the reconcile poll, backfills, expansion of conversations into recordings, relisting, hold re-checks. */
public record DiscoveryWiring(RelistSchedule relisting) {

    public static DiscoveryWiring open(DiscoverySettings settings, GenesysSettings genesysSettings,
            GenesysWiring genesys, Ledger ledger, Clock clock, Registry registry) {
        ConversationDiscovery discovery = new ConversationDiscovery(genesys.genesys(), genesys.holdAttribute(),
                settings.pollPageSize(), genesys.jobWait());
        registry.bind("conversationPoll", new ConversationPoll(discovery, ledger.watermarks(), settings.pollOverlap(),
                settings.pollSettle(), settings.pollInitialLookback(), settings.pollMaxWindow(), clock));
        registry.bind("backfillRequests", new BackfillRequests(ledger.backfills(), settings.backfillChunk(),
                settings.backfillMaxRange(), clock));
        registry.bind("backfillRunner", new BackfillRunner(discovery, ledger.backfills()));
        registry.bind("bulkJobRescue", new io.recordingexporter.discovery.BulkJobRescue(genesys.genesys(),
                ledger.rescues()));
        RelistSchedule relisting = new RelistSchedule(RelistSchedule.parse(settings.relistSchedule()),
                settings.relistMissing());
        registry.bind("conversationExpander", new ConversationExpander(genesys.genesys(), genesys.legalHolds(),
                genesys.batchDownloads(), relisting, clock));
        registry.bind("legalHoldRecheck", new LegalHoldRecheck(genesys.legalHolds(), ledger.holds(),
                genesysSettings.legalHold().recheckWindow(), clock));
        return new DiscoveryWiring(relisting);
    }
}
