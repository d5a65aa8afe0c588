package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.domain.LegalHoldApplied;
import io.recordingexporter.domain.LegalHoldDecision;
import io.recordingexporter.ledger.LegalHoldRecords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Holds are often put on after the fact: a complaint arrives days after the call. Every run asks Genesys, 100
 * conversations per call, whether conversations received within {@code window} and not yet under hold are now
 * protected from deletion; those that are get the hold in the ledger (and their stored objects need it in S3).
 */
public class LegalHoldRecheck {

    private final LegalHoldRegistry registry;
    private final LegalHoldRecords ledger;
    private final Duration window;
    private final Clock clock;

    public LegalHoldRecheck(LegalHoldRegistry registry, LegalHoldRecords ledger, Duration window, Clock clock) {
        this.registry = registry;
        this.ledger = ledger;
        this.window = window;
        this.clock = clock;
    }

    public List<LegalHoldApplied> recheck() throws IOException, ApiException {
        Instant since = clock.instant().minus(window);
        List<LegalHoldApplied> applied = new ArrayList<>();
        String after = "";
        while (true) {
            List<String> page = ledger.unheldConversations(since, after, BatchDownloads.MAX_REQUESTS);
            if (page.isEmpty()) {
                return applied;
            }
            Set<String> protectedNow = registry.protectedAmong(page);
            for (String conversationId : protectedNow) {
                applied.add(new LegalHoldApplied(conversationId, LegalHoldDecision.DELETION_PROTECTION,
                        ledger.applyLegalHold(conversationId, LegalHoldDecision.DELETION_PROTECTION)));
            }
            after = page.get(page.size() - 1);
        }
    }
}
