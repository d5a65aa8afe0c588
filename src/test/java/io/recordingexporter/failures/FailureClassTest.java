package io.recordingexporter.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.resilience.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each failure class's own retry: its backoff from its settings, and a conflict never drawn short. */
class FailureClassTest {

    private static final Duration BASE = Duration.ofSeconds(2);
    private static final Duration MAX = Duration.ofSeconds(64);
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Instant FAR = NOW.plus(Duration.ofDays(1));

    @Test
    void aConflictWaitsAtLeastHalfItsCeilingTheOthersMayDrawAnyWait() {
        RetryPolicy conflict = FailureClass.CONFLICT.retryPolicy(BASE, MAX);
        RetryPolicy server = FailureClass.SERVER.retryPolicy(BASE, MAX);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = conflict.ceilingMillis(attempt);
            // the shortest draw the random source can give: 0
            Instant shortestConflict = conflict.nextAttempt(attempt, NOW, FAR, bound -> 0);
            Instant shortestServer = server.nextAttempt(attempt, NOW, FAR, bound -> 0);
            assertEquals(NOW.plusMillis(ceiling / 2), shortestConflict, "equal jitter on attempt " + attempt);
            assertEquals(NOW, shortestServer, "full jitter on attempt " + attempt);
            assertEquals(NOW.plusMillis(ceiling), conflict.nextAttempt(attempt, NOW, FAR, bound -> bound),
                    "never beyond the ceiling");
        }
        assertTrue(conflict.ceilingMillis(20) <= MAX.toMillis(), "capped");
    }

    @Test
    void everyClassHasAKeyThatNamesIt() {
        for (FailureClass failureClass : FailureClass.values()) {
            assertEquals(failureClass, FailureClass.ofKey(failureClass.key()));
        }
        assertEquals("rate-limited", FailureClass.RATE_LIMITED.key());
    }
}
