package io.recordingexporter.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(2), Duration.ofMinutes(1), 8);
    private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void delayDoublesFromTheBaseUpToTheCap() {
        assertEquals(now.plusSeconds(2), schedule.nextAttemptAfter(1, now), "first retry after the base delay");
        assertEquals(now.plusSeconds(4), schedule.nextAttemptAfter(2, now), "then doubled");
        assertEquals(now.plusSeconds(32), schedule.nextAttemptAfter(5, now), "2 s · 2^4");
        assertEquals(now.plusSeconds(60), schedule.nextAttemptAfter(7, now), "capped at one minute");
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        assertNull(schedule.nextAttemptAfter(8, now), "the eighth failed attempt is the last");
    }
}
