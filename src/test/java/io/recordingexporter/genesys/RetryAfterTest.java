package io.recordingexporter.genesys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void secondsCountFromNow() {
        assertEquals(Optional.of(NOW.plusSeconds(3)), RetryAfter.parse("3", NOW));
        assertEquals(Optional.of(NOW.plusSeconds(120)), RetryAfter.parse(" 120 ", NOW));
    }

    @Test
    void anHttpDateIsAnInstant() {
        assertEquals(Optional.of(Instant.parse("2026-11-23T10:00:07Z")),
                RetryAfter.parse("Mon, 23 Nov 2026 10:00:07 GMT", NOW));
    }

    @Test
    void pastDatesAndNonsenseSayNothing() {
        assertTrue(RetryAfter.parse("Mon, 23 Nov 2026 09:59:00 GMT", NOW).isEmpty());
        assertTrue(RetryAfter.parse("soon", NOW).isEmpty());
        assertTrue(RetryAfter.parse("-5", NOW).isEmpty());
        assertTrue(RetryAfter.parse("", NOW).isEmpty());
        assertTrue(RetryAfter.parse(null, NOW).isEmpty());
    }
}
