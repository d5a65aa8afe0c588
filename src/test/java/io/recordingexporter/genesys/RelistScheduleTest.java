package io.recordingexporter.genesys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelistScheduleTest {

    private static final Instant END = Instant.parse("2026-11-29T10:00:00Z");
    private final RelistSchedule schedule = new RelistSchedule(RelistSchedule.parse(RelistSchedule.DEFAULT),
            Duration.ofSeconds(60));

    @Test
    void aConversationIsListedAgainAtEachPointAfterItsEndThenSettled() {
        assertEquals(END.plus(Duration.ofMinutes(2)), schedule.next(END, END.plusSeconds(30), Set.of(), null).at());
        assertEquals(END.plus(Duration.ofMinutes(10)), schedule.next(END, END.plus(Duration.ofMinutes(2)), Set.of(), null).at());
        assertEquals(END.plus(Duration.ofHours(72)), schedule.next(END, END.plus(Duration.ofHours(30)), Set.of(), null).at());
        assertNull(schedule.next(END, END.plus(Duration.ofHours(72)), Set.of(), null), "settled after the last point");
        assertNull(schedule.next(END, END.plus(Duration.ofDays(40)), Set.of(), null), "an old conversation is settled at once");
    }

    @Test
    void aMissingMediumIsLookedForSoonerDoublingButNeverLaterThanTheSchedule() {
        Instant now = END.plus(Duration.ofDays(40));
        RelistSchedule.Next first = schedule.next(END, now, Set.of("screen"), null);
        assertEquals(now.plusSeconds(60), first.at(), "whatever the age, first after 60 s");
        RelistSchedule.Next second = schedule.next(END, first.at(), Set.of("screen"), first.missingWait());
        assertEquals(first.at().plusSeconds(120), second.at(), "then doubled");

        Instant recent = END.plusSeconds(100);
        RelistSchedule.Next soon = schedule.next(END, recent, Set.of("screen"), Duration.ofSeconds(60));
        assertEquals(END.plus(Duration.ofMinutes(2)), soon.at(), "the next scheduled point comes before the doubled wait");
    }

    @Test
    void missingMediumWaitsStopPastTheLastPoint() {
        Instant now = END.plus(Duration.ofDays(40));
        assertNull(schedule.next(END, now, Set.of("screen"), Duration.ofHours(48)), "a wait of 96 h exceeds 72 h: settled");
    }

    @Test
    void aConversationNotEndedYetCountsFromNow() {
        assertEquals(END.plus(Duration.ofMinutes(2)), schedule.next(null, END, Set.of(), null).at());
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RelistSchedule.parse("2m,ten minutes"));
        assertThrows(IllegalArgumentException.class, () -> new RelistSchedule(RelistSchedule.parse("1h,10m"),
                Duration.ofSeconds(60)));
    }
}
