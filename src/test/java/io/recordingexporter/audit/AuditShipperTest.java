package io.recordingexporter.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.recordingexporter.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper's cursor walks the trail across its daily files, in chain order, and picks up new entries later. */
class AuditShipperTest {

    @Test
    void batchesFollowTheChainAcrossDaysAndOnlyAcknowledgedEntriesAreSkipped(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T23:59:00Z"));
        AuditShipper shipper = new AuditShipper(dir, "http://sink.invalid/audit", "", 2);
        try (AuditTrail trail = new AuditTrail(dir, clock)) {
            for (int i = 1; i <= 3; i++) {
                trail.append("ROUTED", "c" + i, "r" + i, "voice", Map.of());
            }
            clock.advance(Duration.ofMinutes(2));
            trail.append("STORED", "c4", "r4", "voice", Map.of());

            AuditShipper.Batch first = shipper.next();
            assertEquals(1, first.firstSeq());
            assertEquals(2, first.lastSeq());
            assertEquals(first.firstSeq(), shipper.next().firstSeq(), "not acknowledged: the same batch again");
            shipper.shipped(first);
            AuditShipper.Batch second = shipper.next();
            assertEquals(3, second.firstSeq(), "the rest of the first day");
            assertEquals(3, second.lastSeq());
            shipper.shipped(second);
            AuditShipper.Batch third = shipper.next();
            assertEquals(4, third.firstSeq(), "then the next day's file");
            shipper.shipped(third);
            assertNull(shipper.next(), "all shipped");

            trail.append("STORED", "c5", "r5", "voice", Map.of());
            assertEquals(5, shipper.next().firstSeq(), "a new entry is picked up");
        }
        AuditShipper restarted = new AuditShipper(dir, "http://sink.invalid/audit", "", 2);
        assertEquals(5, restarted.next().firstSeq(), "the cursor survives a restart");
    }
}
