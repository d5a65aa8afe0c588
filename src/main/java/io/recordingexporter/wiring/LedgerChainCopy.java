package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.audit.ChainAnchors;
import io.recordingexporter.audit.ChainCopy;
import io.recordingexporter.ledger.AuditCopies;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * This replica's audit chain copied into the shared ledger, and every replica's last digest kept there: the audit
 * side's {@link ChainCopy} and {@link ChainAnchors} on the ledger's {@link AuditCopies}. A chain is silent once its
 * replica has written nothing (not even the heartbeat every copy interval) for {@code silentAfter}, the lease time
 * after which other replicas take its claimed work too.
 */
public final class LedgerChainCopy implements ChainCopy, ChainAnchors {

    private static final Duration ANCHOR_CLAIM = Duration.ofMinutes(1);

    private final AuditCopies copies;
    private final String nodeId;
    private final Duration silentAfter;
    private final Clock clock;

    public LedgerChainCopy(AuditCopies copies, String nodeId, Duration silentAfter, Clock clock) {
        this.copies = copies;
        this.nodeId = nodeId;
        this.silentAfter = silentAfter;
        this.clock = clock;
    }

    @Override
    public AuditTrail.ChainHead head() {
        AuditCopies.Chain chain = copies.chain(nodeId);
        return chain == null ? new AuditTrail.ChainHead(0, null) : new AuditTrail.ChainHead(chain.lastSeq(),
                chain.lastHash());
    }

    @Override
    public void add(List<Entry> entries) {
        copies.add(nodeId, entries.stream().map(entry -> new AuditCopies.Line(entry.seq(), entry.hash(), entry.line()))
                .toList(), clock.millis());
    }

    @Override
    public List<Entry> after(long seq, int limit) {
        return copies.lines(nodeId, seq, limit).stream().map(line -> new Entry(line.seq(), line.hash(), line.text()))
                .toList();
    }

    @Override
    public Anchor last(String chainNode) {
        AuditCopies.Chain chain = copies.chain(chainNode);
        return chain == null || chain.lastDigestKey() == null ? null
                : new Anchor(chain.lastDigestKey(), chain.lastDigestSha256());
    }

    @Override
    public void anchored(String chainNode, long seq, Anchor anchor) {
        copies.anchored(chainNode, seq, anchor.key(), anchor.sha256());
    }

    @Override
    public List<SilentChain> claimSilentChains() {
        long now = clock.millis();
        return copies.claimUnanchored(nodeId, now - silentAfter.toMillis(), now, now + ANCHOR_CLAIM.toMillis())
                .stream().map(chain -> new SilentChain(chain.nodeId(), chain.lastSeq(), chain.lastHash(),
                        chain.lastDigestKey() == null ? null
                                : new Anchor(chain.lastDigestKey(), chain.lastDigestSha256())))
                .toList();
    }
}
