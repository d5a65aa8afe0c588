package io.recordingexporter.discovery;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.intake.ConversationWork;
import io.recordingexporter.intake.IntakeReceipt;
import io.recordingexporter.ledger.Backfills;
import io.recordingexporter.ledger.Backfills.BackfillClaim;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a claimed backfill one chunk forward: one async details job over {@code [cursor, cursor + chunk)} (never past
 * analytics data availability), its conversations recorded with the cursor in one transaction. One chunk per run, so
 * progress shows chunk by chunk and a restart resumes at the last recorded chunk.
 */
public class BackfillRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BackfillRunner.class);

    private final ConversationDiscovery discovery;
    private final Backfills ledger;

    public BackfillRunner(ConversationDiscovery discovery, Backfills ledger) {
        this.discovery = discovery;
        this.ledger = ledger;
    }

    /** One chunk; the receipt of its conversations, for the audit trail. */
    public IntakeReceipt advance(BackfillClaim claim) throws IOException, ApiException {
        Instant chunkEnd = claim.coveredUntil().plusSeconds(claim.chunkSeconds());
        if (chunkEnd.isAfter(claim.to())) {
            chunkEnd = claim.to();
        }
        Instant available = discovery.dataAvailableUntil();
        if (chunkEnd.isAfter(available)) {
            throw new io.recordingexporter.genesys.MediaNotReadyException("Genesys analytics has complete data only until "
                    + available + "; the chunk ending " + chunkEnd + " waits");
        }
        List<ConversationWork> found = discovery.discover(claim.coveredUntil(), chunkEnd, "backfill");
        IntakeReceipt receipt = ledger.recordBackfillChunk(claim, found, chunkEnd);
        LOG.info("Backfill {}: {} conversations started in [{}, {}), {} new", claim.exportId(), found.size(),
                claim.coveredUntil(), chunkEnd, receipt.accepted());
        return receipt;
    }
}
