package io.recordingexporter.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mypurecloud.sdk.v2.ApiException;
import io.recordingexporter.MutableClock;
import io.recordingexporter.audit.AuditTrail;
import io.recordingexporter.resilience.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pause before an inline redelivery: Genesys's Retry-After when it sent one, but never past the cap. */
class InlineRedeliveryTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));

    @TempDir
    Path auditDir;

    private InlineRedelivery redelivery() throws Exception {
        return new InlineRedelivery(Map.of("voice", 2), new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(5)),
                Duration.ofSeconds(120), new AuditTrail(auditDir, clock), clock,
                bound -> bound);
    }

    private static ApiException tooManyRequests(String retryAfter) {
        return new ApiException(429, "Too Many Requests", Map.of("Retry-After", retryAfter),
                "{\"status\":429,\"code\":\"too.many.requests.retry.after\"}");
    }

    @Test
    void aRetryAfterIsHonouredUpToTheCap() throws Exception {
        InlineRedelivery redelivery = redelivery();
        assertEquals(3000, redelivery.delayMillis(tooManyRequests("3"), 1), "Retry-After: 3 waits 3 s");
        assertEquals(120_000, redelivery.delayMillis(tooManyRequests("999999"), 1),
                "Retry-After: 999999 holds the lane's thread for the 120 s cap, not eleven days");
    }

    @Test
    void withoutRetryAfterTheBackoffCeilingApplies() throws Exception {
        long delay = redelivery().delayMillis(new java.io.IOException("connection reset"), 3);
        assertTrue(delay <= 2000, "third attempt draws from [0, 500·2^2]: " + delay);
    }
}
