package io.recordingexporter.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The share of the org's restorations the exporter may spend, from what Genesys reports with each recording. */
class RestoreAllowanceTest {

    @Test
    void halfOfTheOrgsRestorationsAreLeftToPeople() {
        RestoreAllowance half = new RestoreAllowance(0.5);
        assertEquals(5, half.reservedForPeople(10));
        assertTrue(half.permits(10, 10), "none spent yet");
        assertTrue(half.permits(6, 10), "the fifth restore");
        assertFalse(half.permits(5, 10), "half spent: the rest is for people");
        assertFalse(half.permits(0, 10));
        assertEquals(4, new RestoreAllowance(0.6).reservedForPeople(10));
        assertEquals(1, new RestoreAllowance(0.5).reservedForPeople(1), "a lone restoration stays with people");
    }

    @Test
    void theWholeAllowanceWithShareOneAndWhatGenesysDidNotReport() {
        RestoreAllowance all = new RestoreAllowance(1);
        assertTrue(all.permits(1, 10), "the last one");
        assertFalse(all.permits(0, 10), "none left");
        assertTrue(all.permits(null, null), "not reported: Genesys refuses one over its limit");
        assertTrue(new RestoreAllowance(0.5).permits(3, null), "no maximum reported: any remaining");
        assertFalse(new RestoreAllowance(0.5).permits(0, null));
    }

    @Test
    void aShareOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RestoreAllowance(0));
        assertThrows(IllegalArgumentException.class, () -> new RestoreAllowance(1.5));
        assertThrows(IllegalArgumentException.class, () -> new RestoreAllowance(Double.NaN));
    }
}
