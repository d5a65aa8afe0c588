package io.recordingexporter.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.recordingexporter.custody.ConditionalWrites;
import io.recordingexporter.custody.CustodyBucket;
import io.recordingexporter.custody.CustodyWriter;
import io.recordingexporter.custody.HeldSidecars;
import io.recordingexporter.custody.ObjectEncryption;
import io.recordingexporter.custody.ObjectLegalHolds;
import io.recordingexporter.custody.ObjectLock;
import io.recordingexporter.custody.S3Connections;
import io.recordingexporter.custody.S3KeyLayout;
import io.recordingexporter.custody.ServerChecksum;
import io.recordingexporter.custody.SidecarWriter;
import io.recordingexporter.ledger.CustodyRecords;
import io.recordingexporter.resilience.CircuitBreaker;
import io.recordingexporter.settings.StorageSettings;
import java.time.Clock;
import org.apache.camel.spi.Registry;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bucket: its client, what its server verifies, Object Lock (checked before anything starts), encryption, the
 * custody writers of media and of sidecars, and the late holds on stored objects and sidecars.
 */
public record StorageWiring(S3Client s3, String bucket, String prefix, ServerChecksum serverChecksum,
        CircuitBreaker breaker, ObjectLock objectLock, ObjectEncryption encryption, CustodyWriter custodyWriter) {

    public static StorageWiring open(StorageSettings settings, ObjectMapper sidecarJson, CustodyRecords custody,
            Clock clock, Registry registry) {
        String bucket = settings.bucket();
        String prefix = settings.prefix();
        S3Client s3 = S3Connections.builder(settings.endpoint(), settings.region()).build();
        ServerChecksum serverChecksum = new ServerChecksum(s3, bucket, prefix);
        CircuitBreaker breaker = new CircuitBreaker("s3", settings.breakerFailures(), settings.breakerOpen(), clock);
        ObjectLock objectLock = new ObjectLock(s3, bucket, settings.objectLock());
        objectLock.preflight();
        ObjectEncryption encryption = new ObjectEncryption(settings.kmsKeyId(), settings.bucketKey());
        S3KeyLayout layout = new S3KeyLayout(prefix,
                settings.keyLayout().equals("genesys-bulk") ? settings.organizationId() : null);
        CustodyBucket custodyBucket = new CustodyBucket(s3, bucket, layout, serverChecksum,
                new ConditionalWrites(s3, bucket, prefix), encryption, objectLock, breaker);
        CustodyWriter custodyWriter = new CustodyWriter(custodyBucket, settings.multipartThresholdBytes(),
                settings.partSizeBytes());
        SidecarWriter sidecarWriter = new SidecarWriter(custodyBucket, sidecarJson, clock);
        registry.bind("s3Client", s3);
        registry.bind("s3Breaker", breaker);
        registry.bind("custodyWriter", custodyWriter);
        registry.bind("sidecarWriter", sidecarWriter);
        registry.bind("objectLegalHolds", new ObjectLegalHolds(s3, bucket, custody, objectLock));
        registry.bind("heldSidecars", new HeldSidecars(sidecarWriter, objectLock, custody, clock));
        return new StorageWiring(s3, bucket, prefix, serverChecksum, breaker, objectLock, encryption, custodyWriter);
    }
}
