package io.recordingexporter.resilience;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.recordingexporter.MutableClock;
import io.recordingexporter.failures.FailureClass;
import io.recordingexporter.failures.FailureClassifier;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @Test
    void opensAfterFailuresInARowThenLetsOneCallThroughAfterItsPause() {
        CircuitBreaker breaker = new CircuitBreaker("s3", 3, Duration.ofSeconds(15), clock);
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();
        breaker.failed();
        assertTrue(breaker.allowsWork(), "a success in between resets the count");
        breaker.failed();
        assertFalse(breaker.allowsWork(), "three in a row: open");
        CircuitBreaker.DependencyDownException down = assertThrows(CircuitBreaker.DependencyDownException.class,
                breaker::check);
        assertEquals(clock.instant().plusSeconds(15), down.until());
        assertEquals(FailureClass.S3, FailureClassifier.classify(down));

        clock.advance(Duration.ofSeconds(15));
        assertDoesNotThrow(breaker::check, "half open: one call may see whether S3 is back");
        assertThrows(CircuitBreaker.DependencyDownException.class, breaker::check, "only one");
        assertFalse(breaker.allowsWork(), "lanes wait for the trial's answer");
        breaker.failed();
        assertFalse(breaker.allowsWork(), "a failure while half open opens it again");
        clock.advance(Duration.ofSeconds(15));
        assertDoesNotThrow(breaker::check);
        breaker.succeeded();
        assertTrue(breaker.allowsWork());
        assertDoesNotThrow(breaker::check, "closed again: every call goes ahead");
        assertDoesNotThrow(breaker::check);
        assertEquals(2, breaker.timesOpened());
    }
}
