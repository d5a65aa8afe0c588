package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditDigests;
import io.recordingexporter.audit.AuditShipper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.settings.AuditSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import io.recordingexporter.ledger.AuditCopies;
import org.apache.camel.spi.Registry;

/**
 * The audit trail on local disk, its digests in S3, and its shipper to an external sink. When replicas share the
 * ledger, the trail is also copied into it and every replica's last digest is kept there ({@link LedgerChainCopy}).
 */
public record AuditWiring(AuditTrail trail, AuditDigests digests, AuditShipper shipper) {

    public static AuditWiring open(AuditSettings settings, StorageWiring storage, LedgerWiring ledger, Clock clock,
            Registry registry) throws IOException {
        Path dir = Path.of(settings.dir());
        String nodeId = ledger.nodeId();
        LedgerChainCopy copy = chainCopy(ledger, clock);
        AuditTrail trail = new AuditTrail(dir, clock, copy);
        AuditDigests digests = new AuditDigests(storage.s3(), storage.bucket(), storage.prefix(), nodeId, trail, dir,
                storage.encryption(), storage.objectLock(), clock, copy);
        registry.bind("auditTrail", trail);
        registry.bind("auditDigests", digests);
        AuditShipper shipper = new AuditShipper(dir, settings.httpUrl(), settings.httpToken(),
                settings.httpBatchSize());
        registry.bind("auditShipper", shipper);
        return new AuditWiring(trail, digests, shipper);
    }

    /** The copy of this node's chain in a shared (PostgreSQL) ledger; none for an H2 one. */
    public static LedgerChainCopy chainCopy(LedgerWiring ledger, Clock clock) {
        return ledger.shared() ? new LedgerChainCopy(new AuditCopies(ledger.ledger().store()), ledger.nodeId(),
                Duration.ofSeconds(ledger.leaseSeconds()), clock) : null;
    }
}
