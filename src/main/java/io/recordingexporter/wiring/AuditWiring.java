package io.recordingexporter.wiring;

import io.recordingexporter.audit.AuditDigests;
import io.recordingexporter.audit.AuditShipper;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.settings.AuditSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.spi.Registry;

/** The audit trail on local disk, its digests in S3, and its shipper to an external sink. */
public record AuditWiring(AuditTrail trail, AuditDigests digests) {

    public static AuditWiring open(AuditSettings settings, StorageWiring storage, String nodeId, Clock clock,
            Registry registry) throws IOException {
        Path dir = Path.of(settings.dir());
        AuditTrail trail = new AuditTrail(dir, clock);
        AuditDigests digests = new AuditDigests(storage.s3(), storage.bucket(), storage.prefix(), nodeId, trail, dir,
                storage.encryption(), storage.objectLock(), clock);
        registry.bind("auditTrail", trail);
        registry.bind("auditDigests", digests);
        registry.bind("auditShipper", new AuditShipper(dir, settings.httpUrl(), settings.httpToken(),
                settings.httpBatchSize()));
        return new AuditWiring(trail, digests);
    }
}
